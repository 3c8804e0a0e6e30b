package io.letterlock.mail.smtp;

import java.time.Duration;

/** Short timeouts so a stalling test server fails a test in seconds, not RFC minutes. */
final class TestTimeouts {

    static final SmtpTimeouts SHORT = SmtpTimeouts.uniform(Duration.ofSeconds(2));
    static final SmtpTimeouts NORMAL = SmtpTimeouts.uniform(Duration.ofSeconds(10));

    private TestTimeouts() {
    }
}
