/**
 * The TLS check, {@code GET /v3/tls/check/{domain}}: a live look at one receiving domain's MX hosts
 * (STARTTLS, certificates, TLS versions) and what delivery would do there under each Enforced TLS
 * setting, with the limits that keep it from hammering third parties' mail servers.
 */
package io.letterlock.events.tlscheck;
