/**
 * SMTP TLS Reporting (RFC 8460), the counting side: delivery-service's per-session results
 * ({@code letterlock.tls-sessions}) counted once each into per policy domain, per UTC day results
 * ({@code kafka}: a sub-topology of the {@code views} Kafka Streams application; {@code store}: what
 * is kept and how it is read), the report document of RFC 8460 §4.4 built from them ({@code report},
 * pure), the operator's preview of it ({@code api}) and the reporting organisation's settings
 * ({@code config}). Sending ({@code send}) has its first parts: the report file of §5.1 and the https
 * submission of §5.3, through the webhooks' address guard; scheduling, retries and mailto are not here yet.
 */
package io.letterlock.events.tlsrpt;
