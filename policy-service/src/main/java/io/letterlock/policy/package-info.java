/**
 * policy-service: each account's Enforced TLS settings and per-recipient-domain TLS policies, kept
 * on compacted Kafka topics that delivery-service reads. One package per job ({@code enforcedtls},
 * {@code domains}, {@code views}); what is service-wide, such as the OpenAPI description, sits here.
 */
package io.letterlock.policy;
