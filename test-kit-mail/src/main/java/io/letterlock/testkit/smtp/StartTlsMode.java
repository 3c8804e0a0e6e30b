package io.letterlock.testkit.smtp;

/** How the server treats STARTTLS (RFC 3207); chosen through {@link TestSmtpServer.Builder}. */
enum StartTlsMode {
    /** Not in the EHLO reply; the command gets 502. */
    NOT_OFFERED,
    /** Advertised; 220 then a real TLS handshake with the configured certificate. */
    OFFERED,
    /** Advertised, but the command gets a refusal: RFC 3207 §4's {@code 454 4.7.0} unless scripted. */
    REFUSED,
    /** Advertised; 220, then the server closes the socket instead of doing the handshake. */
    HANDSHAKE_FAILS,
    /**
     * Advertised; 220 and, in the same write, more bytes (RFC 3207 §6: what a man in the middle
     * adds so that they are read as if they came over TLS), then a real handshake as for OFFERED.
     */
    INJECTS
}
