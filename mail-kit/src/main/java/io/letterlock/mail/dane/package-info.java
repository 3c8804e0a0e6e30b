/**
 * DANE for SMTP (RFC 7672, with RFC 6698 and RFC 7671): which MX hosts it applies to, what their
 * TLSA records require, whether a server's certificate chain meets that, and what delivery does
 * next. DNSSEC itself lives in {@code io.letterlock.mail.dns} ({@code DnssecResolver}).
 *
 * <h2>Wiring it into a delivery attempt</h2>
 * <ol>
 * <li><b>At start:</b> build one {@code DnssecResolver} from {@code DnssecSettings}: the resolver and
 * query timeout of {@code letterlock.dns.*} (the same resolver MX lookups ask), a lookup timeout,
 * the mode ({@code validate}, the default, or {@code trust-resolver-ad} for a validating resolver
 * on 127.0.0.1) and optionally a trust anchor file (else the IANA root KSKs). Log
 * {@code probeTrustAnchor()}: if it is not secure, every DANE lookup will defer. Wrap it in one
 * {@link io.letterlock.mail.dane.DaneLookup} and one {@link io.letterlock.mail.dane.DaneVerifier}.</li>
 * <li><b>After the route is resolved</b> (a {@code Route.Destinations}): {@code mxRrset(domain)}
 * once, then {@code hostState(domain, mx, destination.mxHost(), destination.port())} for each
 * destination, before connecting to it ({@code routedHostState} for a static route). Count
 * {@code state.outcome().tag()}.</li>
 * <li><b>Before connecting:</b> {@link io.letterlock.mail.dane.DaneDecisions#beforeConnect}.
 * {@code TryNextMx} skips the host; {@code NotApplicable} leaves everything to the account's policy;
 * {@code Proceed} means: open the session with TLS required (the account's {@code require_tls}
 * forced to true for this host), and no cleartext fallback after a failed handshake.</li>
 * <li><b>In the SMTP session</b> (the points where {@code TlsPolicyDecisions} is asked today):
 * {@code afterEhlo}, {@code afterStartTlsRefused}, {@code afterHandshakeFailure}, and after a
 * completed handshake {@code DaneVerifier.verify(peerChain, (Authenticate) state)} then
 * {@code afterHandshake(state, verdict)}. Send the SNI of the TLSA base domain (RFC 7672 §8.1;
 * today's client sends the MX host name, which is the same unless a CNAME was followed).
 * {@code TryNextMx}: QUIT, nothing of the message sent, try the next destination.</li>
 * <li><b>When no destination is left</b> after DANE stopped one: {@code whenNoMxHostLeft(lastReason)}
 * gives {@code Defer}: a {@code deferred} event with that reason, status
 * {@link io.letterlock.mail.dane.DaneDecisions#DANE_FAILURE_STATUS}, {@code policy.source} "dane".</li>
 * <li><b>Events:</b> for a DANE-authenticated session, {@code cert_err} and {@code cert_error} come
 * from {@link io.letterlock.mail.dane.DaneVerdict#asCertificateVerdict()}, not from PKIX.</li>
 * </ol>
 * The TLS check can replay the same on a probe: {@code ProbeReport.chain()} is the peer chain.
 */
package io.letterlock.mail.dane;
