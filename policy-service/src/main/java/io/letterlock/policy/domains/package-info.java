/**
 * Per-recipient-domain TLS policies of the calling account
 * ({@code /v3/user/settings/enforced_tls/domains/{domain}}), which override its Enforced TLS
 * settings for one domain: the resource, its request and answer bodies, domain normalisation,
 * and the store.
 */
package io.letterlock.policy.domains;
