package io.letterlock.delivery.tlsrpt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What delivery records for TLS reports (RFC 8460). */
@ConfigMapping(prefix = "letterlock.tls-rpt")
public interface TlsRptConfig {

    /** Write one {@code TlsSessionResult} per session with an MX host to {@code letterlock.tls-sessions}. */
    @WithDefault("true")
    boolean recordSessions();
}
