/**
 * The Event Webhook: each account's subscription (settings API, compacted topic), and delivery of
 * letterlock.events to it as SendGrid-style signed batches, with OAuth, an SSRF guard on every
 * connection, and retries through letterlock.webhooks.retry and its wait topics (service-kit's delay
 * queue, as delivery's retries).
 */
package io.letterlock.events.webhooks;
