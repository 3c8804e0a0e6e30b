/**
 * SMTP TLS Reporting (RFC 8460) seen from the sending side: what each session with an MX host, and
 * each policy failure that kept an attempt from one, counts as in a receiving domain's TLS report
 * (policy type, policy strings, result type), and where a domain wants its reports
 * ({@link io.letterlock.mail.tlsrpt.TlsRptRecord}, its {@code _smtp._tls} TXT record). Pure:
 * {@link io.letterlock.mail.tlsrpt.TlsRptDecisions} classifies, delivery writes the results.
 */
package io.letterlock.mail.tlsrpt;
