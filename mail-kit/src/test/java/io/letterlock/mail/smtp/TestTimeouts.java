package io.letterlock.mail.smtp;

import java.time.Duration;

/** Short timeouts so a stalling test server fails a test in seconds, not RFC minutes. */
final class TestTimeouts {

    /** Two seconds a step, three for the reply after the content: a test can tell which one a wait got. */
    static final SmtpTimeouts SHORT = new SmtpTimeouts() {
        private final Duration step = Duration.ofSeconds(2);

        @Override public Duration connect() { return step; }
        @Override public Duration greeting() { return step; }
        @Override public Duration command() { return step; }
        @Override public Duration tlsHandshake() { return step; }
        @Override public Duration dataInitiation() { return step; }
        @Override public Duration dataTermination() { return Duration.ofSeconds(3); }
        @Override public Duration quit() { return step; }
    };
    static final SmtpTimeouts NORMAL = SmtpTimeouts.uniform(Duration.ofSeconds(10));

    private TestTimeouts() {
    }
}
