package io.letterlock.contracts;

/**
 * Kafka topic names shared by every service, one constant each (docs/architecture.md, "Topics");
 * what each holds, for how long and who creates it is the catalogue, {@link Topic}. Services read
 * the name they use from configuration whose default is the constant here, so tests and
 * multi-tenant clusters can prefix them without code changes.
 */
public final class Topics {

    /** Compacted. Key: account id. Value: {@link TlsSettings}. policy-service is the only writer. */
    public static final String TLS_SETTINGS = "letterlock.tls-settings";
    /** Compacted. Key: {@link #domainPolicyKey}. Value: {@link DomainPolicy}; a null value deletes. */
    public static final String DOMAIN_POLICIES = "letterlock.domain-policies";
    /**
     * Compacted. Key: {@link #suppressionKey}. Value: {@link Suppression}; a null value takes the
     * address off the list. policy-service creates and alone writes it (from its API and from
     * bounce events); delivery-service reads it to drop mail to suppressed addresses.
     */
    public static final String SUPPRESSIONS = "letterlock.suppressions";
    /**
     * Compacted. Key: {@link #unsubscribeGroupKey}. Value: {@link UnsubscribeGroup}; a null value
     * deletes it. policy-service creates, writes and alone reads it.
     */
    public static final String UNSUBSCRIBE_GROUPS = "letterlock.unsubscribe-groups";
    /** Key: recipient domain, so one worker owns a domain's connections. Value: {@link SendJob}. */
    public static final String SEND_JOBS = "letterlock.send-jobs";
    /** Deferred jobs wait here until their not-before time. Same key and value as send-jobs. */
    public static final String SEND_JOBS_RETRY = "letterlock.send-jobs.retry";
    /**
     * Wait topics of the retry scheduler's delay queue, one per delay of
     * {@code letterlock.retry.scheduler.wait-tiers} (these four by default), named
     * {@link #SEND_JOBS_RETRY} + {@code .wait-<delay>}: a record is read back once its delay has
     * passed since it was written. Same key and value as send-jobs; delivery-service alone uses them.
     */
    public static final String SEND_JOBS_WAIT_1M = SEND_JOBS_RETRY + ".wait-1m";
    public static final String SEND_JOBS_WAIT_10M = SEND_JOBS_RETRY + ".wait-10m";
    public static final String SEND_JOBS_WAIT_1H = SEND_JOBS_RETRY + ".wait-1h";
    public static final String SEND_JOBS_WAIT_6H = SEND_JOBS_RETRY + ".wait-6h";
    /** Raw bytes of jobs that could not be parsed, with the error in headers. Never silently lost. */
    public static final String SEND_JOBS_DLQ = "letterlock.send-jobs.dlq";
    /** Key: message id, so all of one message's events stay in order. Value: {@link MailEvent}. */
    public static final String EVENTS = "letterlock.events";
    /** Compacted. Key: account id. Value: webhook settings. */
    public static final String WEBHOOKS = "letterlock.webhooks";
    /**
     * Webhook batches waiting for their next POST. Key: account id. Value: events-service's pending
     * batch (the events as a JSON array, attempt, not-before time). Only events-service reads or
     * writes it.
     */
    public static final String WEBHOOKS_RETRY = "letterlock.webhooks.retry";
    /**
     * Wait topics of the webhook retries' delay queue, one per delay of
     * {@code letterlock.webhook.retry.scheduler.wait-tiers} (these four by default), named
     * {@link #WEBHOOKS_RETRY} + {@code .wait-<delay>}: a batch is read back once its delay has passed
     * since it was written. Same key and value as the retry topic; events-service alone uses them.
     */
    public static final String WEBHOOKS_WAIT_30S = WEBHOOKS_RETRY + ".wait-30s";
    public static final String WEBHOOKS_WAIT_2M = WEBHOOKS_RETRY + ".wait-2m";
    public static final String WEBHOOKS_WAIT_10M = WEBHOOKS_RETRY + ".wait-10m";
    public static final String WEBHOOKS_WAIT_1H = WEBHOOKS_RETRY + ".wait-1h";
    /**
     * Compacted. Key: policy domain. Value: {@link MtaStsPolicyRecord}; a null value purges it.
     * delivery-service creates, reads and writes it: one fetch per policy serves every replica.
     */
    public static final String MTA_STS_POLICIES = "letterlock.mta-sts-policies";
    /**
     * Key: policy domain. Value: {@link TlsSessionResult}, one per TLS session (or policy failure)
     * delivery-service had with a receiving domain's MX hosts: the record TLS reports (RFC 8460) are
     * counted from. delivery-service writes it; events-service reads it.
     */
    public static final String TLS_SESSIONS = "letterlock.tls-sessions";
    /**
     * Key: policy domain. Value: a TLS report (RFC 8460) due to be sent, or one of its submissions to
     * one target, waiting until due. events-service creates, writes and reads it, and beside it the
     * wait topics of its delay queue ({@code <name>.wait-<delay>}).
     */
    public static final String TLS_REPORTS = "letterlock.tls-reports";
    /**
     * Key: a send request's message id. Value: a chunk of the JSON of its {@link StoredContent}, the
     * chunk's index in the {@link ContentRef#CHUNK_HEADER} header: a request's body and files stored
     * once for all its recipients, whose jobs point to them ({@link SendJob#contentRef()}).
     * delivery-service's intake writes it, its workers read it.
     */
    public static final String MAIL_CONTENT = "letterlock.mail-content";
    /** The wait topics of the TLS report sender's default tiers (letterlock.tls-rpt.submission.wait-tiers). */
    public static final String TLS_REPORTS_WAIT_1M = TLS_REPORTS + ".wait-1m";
    public static final String TLS_REPORTS_WAIT_10M = TLS_REPORTS + ".wait-10m";
    public static final String TLS_REPORTS_WAIT_1H = TLS_REPORTS + ".wait-1h";
    /**
     * Compacted. Key: {@link #mailBatchKey}. Value: {@link MailBatch}: the batches of scheduled sends
     * (SendGrid's batch_id) and whether their senders paused or cancelled them; a null value deletes.
     * policy-service creates and writes it; delivery-service reads it.
     */
    public static final String MAIL_BATCHES = "letterlock.mail-batches";

    private Topics() {
    }

    /**
     * The key of a mail batch record: account id + "/" + batch id, so that one account's batches
     * are listed by prefix and a batch id is only ever found under the account that created it.
     */
    public static String mailBatchKey(String accountId, String batchId) {
        return accountId + "/" + batchId;
    }

    /** The key of a domain policy record: account id + "/" + domain (an A-label, lower case). */
    public static String domainPolicyKey(String accountId, String domain) {
        return accountId + "/" + domain;
    }

    /**
     * The key of a suppression record: account id + "/" + list ({@link SuppressionList#wireName()})
     * + "/" + the address in lower case. Account ids and list names hold no '/', so the account's
     * keys, and one list's, share a prefix ({@link #suppressionListPrefix}).
     */
    public static String suppressionKey(String accountId, SuppressionList list, String email) {
        return suppressionListPrefix(accountId, list) + Suppression.normalize(email);
    }

    /** The key of an unsubscribe group: account id + "/" + the group's id. */
    public static String unsubscribeGroupKey(String accountId, int groupId) {
        return accountId + "/" + groupId;
    }

    /** The prefix every key of one account's list starts with. */
    public static String suppressionListPrefix(String accountId, SuppressionList list) {
        return accountId + "/" + list.wireName() + "/";
    }
}
