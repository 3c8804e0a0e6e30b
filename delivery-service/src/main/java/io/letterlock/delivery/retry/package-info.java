/**
 * Deferred and scheduled jobs: the backoff schedule, the retry topic they wait on, and the scheduler
 * that puts them back on send-jobs when due (with its wait topics, lifecycle and liveness check).
 */
package io.letterlock.delivery.retry;
