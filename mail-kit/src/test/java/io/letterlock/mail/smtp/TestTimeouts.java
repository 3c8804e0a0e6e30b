package io.letterlock.mail.smtp;

import java.time.Duration;

/** Short timeouts so a stalling test server fails a test in seconds, not RFC minutes. */
record TestTimeouts(Duration limit) implements SmtpTimeouts {

    static final TestTimeouts SHORT = new TestTimeouts(Duration.ofSeconds(2));
    static final TestTimeouts NORMAL = new TestTimeouts(Duration.ofSeconds(10));

    @Override
    public Duration connect() {
        return limit;
    }

    @Override
    public Duration greeting() {
        return limit;
    }

    @Override
    public Duration command() {
        return limit;
    }

    @Override
    public Duration tlsHandshake() {
        return limit;
    }

    @Override
    public Duration dataInitiation() {
        return limit;
    }

    @Override
    public Duration dataTermination() {
        return limit;
    }

    @Override
    public Duration quit() {
        return limit;
    }
}
