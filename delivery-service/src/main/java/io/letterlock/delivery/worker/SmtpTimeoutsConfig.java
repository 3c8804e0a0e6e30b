package io.letterlock.delivery.worker;

import io.letterlock.mail.smtp.SmtpTimeouts;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Delivery's SMTP timeouts. The defaults are RFC 5321 §4.5.3.2's minimums, so a slow but honest
 * server is never cut off; a server that stalls costs this long, never a worker.
 */
@ConfigMapping(prefix = "letterlock.smtp.timeout")
public interface SmtpTimeoutsConfig extends SmtpTimeouts {

    /** TCP connect; not in the RFC. */
    @Override
    @WithDefault("30s")
    Duration connect();

    /** The 220 greeting (RFC 5321 §4.5.3.2.1: 5 minutes). */
    @Override
    @WithDefault("5m")
    Duration greeting();

    /** EHLO, HELO, STARTTLS, MAIL, RCPT, RSET (§4.5.3.2.2–3: 5 minutes). */
    @Override
    @WithDefault("5m")
    Duration command();

    /** The TLS handshake after STARTTLS's 220. */
    @Override
    @WithDefault("60s")
    Duration tlsHandshake();

    /** DATA's 354 (§4.5.3.2.4: 2 minutes). */
    @Override
    @WithDefault("2m")
    Duration dataInitiation();

    /** The reply after the final dot (§4.5.3.2.6: 10 minutes); with BDAT, every reply of the pipelined group. */
    @Override
    @WithDefault("10m")
    Duration dataTermination();

    /** QUIT; the message is already handed over, so waiting long gains nothing. */
    @Override
    @WithDefault("10s")
    Duration quit();
}
