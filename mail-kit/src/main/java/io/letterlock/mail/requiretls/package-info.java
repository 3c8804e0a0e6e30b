/**
 * RFC 8689, the SMTP Require TLS Option, on the sending side: a message's own request
 * ({@link io.letterlock.mail.requiretls.MessageTlsRequest}: REQUIRETLS, or the header field
 * {@code TLS-Required: No}) and what it decides at each point of a delivery attempt
 * ({@link io.letterlock.mail.requiretls.RequireTlsDecisions}). How the MX hosts were found, which
 * REQUIRETLS asks, comes from the receiver lookups ({@code receiver.MxDiscovery}); the policy of one
 * connection is {@code tls.HostTlsPolicy}; the {@code REQUIRETLS} parameter on MAIL FROM is the
 * SMTP session's ({@code smtp.Envelope#requiretls}).
 */
package io.letterlock.mail.requiretls;
