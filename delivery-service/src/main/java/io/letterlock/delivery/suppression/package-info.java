/**
 * The senders' suppression lists as this worker sees them (SendGrid's bounces, invalid emails,
 * spam reports, global and group unsubscribes): a view of the topic policy-service writes, the pure
 * decision whether a job is dropped and why ({@link io.letterlock.delivery.suppression.SuppressionDecisions}),
 * and the readiness check of the view.
 */
package io.letterlock.delivery.suppression;
