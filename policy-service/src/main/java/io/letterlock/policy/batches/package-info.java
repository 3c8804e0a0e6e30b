/**
 * SendGrid's v3 Mail Batch ({@code /v3/mail/batch}) and Cancel Scheduled Sends
 * ({@code /v3/user/scheduled_sends}) APIs for the calling account: batch ids, their pause or cancel
 * status, and the store that keeps them on the compacted mail-batches topic, which delivery reads.
 */
package io.letterlock.policy.batches;
