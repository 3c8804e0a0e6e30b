/**
 * The TLS check, {@code GET /v3/tls/check/{domain}}: a live look at one receiving domain's MX hosts
 * (STARTTLS, certificates, TLS versions) and what delivery would do there under each Enforced TLS
 * setting, with the limits that keep it from hammering third parties' mail servers. It reaches a
 * domain with delivery's own settings (service-kit's {@code ReachConfig}, the same keys), so that its
 * answer is what delivery would do; only its limits and waits are its own ({@code letterlock.tls-check.*}).
 */
package io.letterlock.events.tlscheck;
