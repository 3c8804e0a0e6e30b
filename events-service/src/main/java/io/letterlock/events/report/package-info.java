/**
 * The TLS report, {@code GET /v3/tls/report}: per recipient domain and per UTC day, how much of an
 * account's mail went over TLS with a valid certificate, added up from daily windows the
 * {@code views} application keeps per account and domain.
 */
package io.letterlock.events.report;
