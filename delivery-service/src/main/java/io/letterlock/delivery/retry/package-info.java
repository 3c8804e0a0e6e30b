/**
 * Deferred and scheduled jobs: the backoff schedule, the retry topic they wait on, and the scheduler
 * that puts them back on send-jobs when due (service-kit's delay queue, with its wait topics; its
 * lifecycle and liveness check).
 */
package io.letterlock.delivery.retry;
