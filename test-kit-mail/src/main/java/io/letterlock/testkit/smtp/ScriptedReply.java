package io.letterlock.testkit.smtp;

import java.util.Objects;

/**
 * One single-line SMTP reply a test scripts the server to give, e.g.
 * {@code ScriptedReply.of(451, "4.3.0 Try again later")}. RFC 5321 §4.2: a three-digit code, a space,
 * then text; the text conventionally starts with an RFC 3463 enhanced status code.
 */
public record ScriptedReply(int code, String text) {

    /** {@code 451 4.3.0}: the transient failure a greylisting or busy server gives. */
    public static final ScriptedReply TRY_AGAIN_LATER = new ScriptedReply(451, "4.3.0 Try again later");
    /** {@code 454 4.7.0}: RFC 3207 §4's answer to STARTTLS when TLS is not available for now. */
    public static final ScriptedReply TLS_NOT_AVAILABLE =
            new ScriptedReply(454, "4.7.0 TLS not available due to temporary reason");
    /** {@code 550 5.1.1}: the recipient does not exist; a permanent failure. */
    public static final ScriptedReply NO_SUCH_USER = new ScriptedReply(550, "5.1.1 No such user here");
    /** {@code 554 5.7.1}: the message is refused after DATA; a permanent failure. */
    public static final ScriptedReply MESSAGE_REJECTED = new ScriptedReply(554, "5.7.1 Message rejected");

    public ScriptedReply {
        // RFC 5321 §4.2.1: the first digit is 2 (ok), 3 (go on), 4 (transient) or 5 (permanent).
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        Objects.requireNonNull(text, "text");
        if (text.contains("\r") || text.contains("\n")) {
            throw new IllegalArgumentException("a scripted reply is one line: " + text);
        }
    }

    public static ScriptedReply of(int code, String text) {
        return new ScriptedReply(code, text);
    }

    /** The reply as sent, without CRLF: {@code "451 4.3.0 Try again later"}. */
    public String line() {
        return code + " " + text;
    }

    public boolean isPositive() {
        return code < 400;
    }
}
