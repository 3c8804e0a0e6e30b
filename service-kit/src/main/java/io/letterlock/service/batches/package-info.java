/**
 * The batches of scheduled sends (SendGrid's {@code batch_id}) as a view of the compacted topic
 * policy-service owns, read the same way by policy-service (its API) and delivery-service (intake
 * and the worker).
 */
package io.letterlock.service.batches;
