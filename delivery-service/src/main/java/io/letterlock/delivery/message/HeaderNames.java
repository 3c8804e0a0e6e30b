package io.letterlock.delivery.message;

import java.util.Locale;
import java.util.Set;

/**
 * Which header fields a sender may add through a job's {@code headers}. The ones Letterlock writes
 * itself, the ones that describe the MIME structure and the ones receiving servers and signers
 * add are refused at intake and skipped by {@link MessageComposer}, so a sender can neither forge
 * nor break them.
 */
public final class HeaderNames {

    /** The visible recipients, which intake writes into a job's headers (never Bcc). */
    public static final String TO = "To";
    public static final String CC = "Cc";
    /** The {@code X-Message-Id} of the send request, so a received message leads back to its request. */
    public static final String LETTERLOCK_MESSAGE_ID = "X-Letterlock-Message-Id";

    private static final Set<String> RESERVED = Set.of(
            // Written by MessageComposer from the job's own fields (RFC 5322 §3.6).
            "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id",
            // RFC 2045 §4: the MIME structure is ours to describe.
            "mime-version",
            // Added by the receiving side or by signers; forged ones mislead (RFC 5321 §4.4, RFC 6376).
            "received", "return-path", "dkim-signature", "authentication-results",
            "arc-seal", "arc-message-signature", "arc-authentication-results", "delivered-to");
    private static final String[] RESERVED_PREFIXES = {"content-", "x-letterlock-", "resent-"};

    private HeaderNames() {
    }

    /** RFC 5322 §3.6.8: a field name is one or more printable ASCII characters other than the colon. */
    public static boolean isFieldName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }

    /** True for a name the sender may not set; compared without regard to case (RFC 5322 §1.2.2). */
    public static boolean isReserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            return true;
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
