/**
 * SMTP TLS Reporting (RFC 8460), counted and sent: delivery-service's per-session results
 * ({@code letterlock.tls-sessions}) counted once each into per policy domain, per UTC day results
 * ({@code kafka}: a sub-topology of the {@code views} Kafka Streams application, which also plans
 * each closed day's reports once onto {@code letterlock.tls-reports}; {@code store}: what is kept and
 * how it is read), the report document of RFC 8460 §4.4 built from them ({@code report}, pure), the
 * operator's preview of it ({@code api}), sending ({@code send}: the report file of §5.1, the
 * domain's {@code _smtp._tls} record, https POSTs through the webhooks' address guard and mail
 * through Letterlock's own delivery, on a delay queue with retries), its liveness ({@code health})
 * and the reporting organisation's settings ({@code config}).
 */
package io.letterlock.events.tlsrpt;
