package io.letterlock.mail.smtp;

import java.time.Duration;

/**
 * How long the client waits for each step; a server that stalls costs this long, never a thread.
 * Delivery reads them from {@code letterlock.smtp.timeout.*} with RFC 5321 §4.5.3.2's minimums as
 * defaults; the TLS check uses short ones of its own.
 */
public interface SmtpTimeouts {

    /** TCP connect; not in the RFC. */
    Duration connect();

    /** The 220 greeting (RFC 5321 §4.5.3.2.1: 5 minutes). */
    Duration greeting();

    /** EHLO, HELO, STARTTLS, MAIL, RCPT, RSET (§4.5.3.2.2–3: 5 minutes). */
    Duration command();

    /** The TLS handshake after STARTTLS's 220. */
    Duration tlsHandshake();

    /** DATA's 354 (§4.5.3.2.4: 2 minutes). */
    Duration dataInitiation();

    /** The reply after the final dot (§4.5.3.2.6: 10 minutes); with BDAT, every reply of the pipelined group. */
    Duration dataTermination();

    /** QUIT; the message is already handed over, so waiting long gains nothing. */
    Duration quit();

    /** The same limit for every step: for probes and tests that only need "not forever". */
    static SmtpTimeouts uniform(Duration limit) {
        return new Uniform(limit);
    }

    /** See {@link #uniform}. */
    record Uniform(Duration limit) implements SmtpTimeouts {
        @Override public Duration connect() { return limit; }
        @Override public Duration greeting() { return limit; }
        @Override public Duration command() { return limit; }
        @Override public Duration tlsHandshake() { return limit; }
        @Override public Duration dataInitiation() { return limit; }
        @Override public Duration dataTermination() { return limit; }
        @Override public Duration quit() { return limit; }
    }
}
