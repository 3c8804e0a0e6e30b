/**
 * TLS-RPT (RFC 8460) from delivery's side: each session an attempt opened with an MX host, and each
 * policy failure that kept it from one, as one {@link io.letterlock.contracts.TlsSessionResult} on
 * {@code letterlock.tls-sessions}, written by the worker in the transaction that settles the job
 * (events-service counts them into the daily reports). The classification is mail-kit's
 * ({@code io.letterlock.mail.tlsrpt.TlsRptDecisions}).
 */
package io.letterlock.delivery.tlsrpt;
