/**
 * MTA-STS (RFC 8461): whether a recipient domain asks senders for TLS with a valid certificate to
 * listed MX hosts, and what that means for one delivery attempt. A library; delivery wires it in.
 *
 * <p>The parts, each with one job:
 * <ul>
 * <li>{@link io.letterlock.mail.mtasts.MtaStsRecord} and {@link io.letterlock.mail.mtasts.MtaStsRecordLookup}:
 *     the {@code _mta-sts} TXT record (§3.1), asked through the service's
 *     {@link io.letterlock.mail.dns.DnsClient}.</li>
 * <li>{@link io.letterlock.mail.mtasts.MtaStsPolicy}, {@link io.letterlock.mail.mtasts.MxPattern}: the
 *     policy text (§3.2) and MX matching (§4.1), pure.</li>
 * <li>{@link io.letterlock.mail.mtasts.PolicyFetcher}: the HTTPS fetch (§3.3).</li>
 * <li>{@link io.letterlock.mail.mtasts.PolicyRefresh}: when a kept policy applies and when to fetch
 *     (§3.3, §5.1, §10.2), pure.</li>
 * <li>{@link io.letterlock.mail.mtasts.MtaStsPolicies}: the policy that applies to a domain now.</li>
 * <li>{@link io.letterlock.mail.mtasts.MtaStsDecisions}: what the policy says at each point of the
 *     SMTP conversation (§4, §5), pure.</li>
 * </ul>
 *
 * <p>Wiring, for a service:
 * <pre>{@code
 * DnsClient dns = DnsClient.forSettings(resolverSettings);           // letterlock.dns.resolver, once
 * MxResolver resolver = new MxResolver(resolverSettings, dns, clock, random);
 * PolicyFetcher fetcher = new PolicyFetcher(dns, guard::refusal,     // the shared address guard
 *         PolicyFetcher.jvmTrustPlus(trustPem),                      // letterlock.trust-pem
 *         PolicyFetchSettings.defaults());
 * MtaStsSettings settings = MtaStsSettings.defaults();
 * MtaStsPolicies policies = new MtaStsPolicies(
 *         new MtaStsRecordLookup(dns, clock, settings.maxRecordTtl(), settings.recordFailureTtl(), settings.maxDomains()),
 *         fetcher, kafkaBackedStore, settings, clock);                // a PolicyStore over a compacted topic
 * }</pre>
 * Per attempt: {@code policies.policyFor(domain)}; with {@link io.letterlock.mail.mtasts.PolicyLookup.Applies},
 * ask {@link io.letterlock.mail.mtasts.MtaStsDecisions} before connecting to each MX, after EHLO and
 * after the handshake, beside {@link io.letterlock.mail.tls.TlsPolicyDecisions}, the stricter deciding;
 * report each {@link io.letterlock.mail.mtasts.StsVerdict.Failure} and each fetch failure
 * ({@link io.letterlock.contracts.TlsRptResultType}) for TLS-RPT; before a message refused under
 * {@code enforce} ends with a bounce, ask {@link io.letterlock.mail.mtasts.MtaStsPolicies#recheckedPolicyFor}.
 */
package io.letterlock.mail.mtasts;
