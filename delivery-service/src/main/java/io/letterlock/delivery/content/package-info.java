/**
 * Claim checks: a send request's body and files stored once on the mail-content topic for all
 * its recipients, instead of a copy in every recipient's job, and read back when a job is
 * delivered. {@code ContentChunks} cuts and joins (pure), {@code ContentTopicReader} reads a
 * {@link io.letterlock.contracts.ContentRef} back from Kafka, {@code StoredContents} keeps what
 * was read for the other recipients of the same request, and {@code ContentBudget} bounds the
 * bytes of stored content being delivered at once.
 */
package io.letterlock.delivery.content;
