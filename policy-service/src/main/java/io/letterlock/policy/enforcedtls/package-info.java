/**
 * SendGrid's v3 Enforced TLS settings of the calling account ({@code /v3/user/settings/enforced_tls}):
 * the resource and its body, the strict PATCH parser, and the store that reads them from the view
 * and writes them through Kafka.
 */
package io.letterlock.policy.enforcedtls;
