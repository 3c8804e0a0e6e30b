/**
 * The delivery worker: consumes send-jobs, hands each job to a delivery attempt, and writes what it
 * came to (events, retries, dead letters) with the offsets in one Kafka transaction. Also builds the
 * SMTP client and session pool from {@code letterlock.delivery.*} and {@code letterlock.smtp.timeout.*},
 * with the trusted CAs, allowed ranges and EHLO name it shares with the TLS check (service-kit's
 * {@code ReachConfig}).
 */
package io.letterlock.delivery.worker;
