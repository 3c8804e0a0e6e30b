/**
 * Batches of scheduled sends (SendGrid's batch_id) as delivery sees them: the view of the topic
 * policy-service writes, the pure decision of what a paused or cancelled batch means for a due job
 * ({@link io.letterlock.delivery.batches.BatchVerdict}), its configuration ({@code letterlock.batches.*})
 * and the readiness check of the view.
 */
package io.letterlock.delivery.batches;
