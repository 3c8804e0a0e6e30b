package io.letterlock.delivery.dns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The port mail exchangers are reached on. */
@ConfigMapping(prefix = "letterlock.smtp")
public interface SmtpPortConfig {

    /**
     * The SMTP port of MX hosts (and of static routes that name none), env
     * {@code LETTERLOCK_SMTP_PORT}. 25 on the Internet (RFC 5321 §4.5.4.2); tests point it at
     * their own servers.
     */
    @WithDefault("25")
    int port();
}
