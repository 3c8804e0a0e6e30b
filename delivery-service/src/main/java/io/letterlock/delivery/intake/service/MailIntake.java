package io.letterlock.delivery.intake.service;

import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.StoredContent;
import io.letterlock.delivery.content.ContentChunks;
import io.letterlock.delivery.content.ContentConfig;
import io.letterlock.delivery.intake.config.IntakeConfig;
import io.letterlock.delivery.intake.kafka.IntakeRecords;
import io.letterlock.delivery.intake.kafka.TransactionalPublisher;
import io.letterlock.delivery.intake.limit.AccountSendLimits;
import io.letterlock.delivery.intake.limit.TooManyRequests;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.service.TopicNames;
import io.letterlock.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accepts one validated v3 mail send request for an account: splits it into jobs, and writes the
 * jobs and their processed events to Kafka in one transaction. Logs one line per request.
 */
@ApplicationScoped
public class MailIntake {

    private static final Logger LOG = Logger.getLogger(MailIntake.class);
    /** Room for a chunk record's key, header and batch overhead within the largest record. */
    private static final int CHUNK_RECORD_HEADROOM = 4 * 1024;

    private final TransactionalPublisher publisher;
    private final JobSplitter splitter;
    private final IntakeRecords records;
    private final AccountSendLimits limits;
    private final long storeAbove;
    private final int chunkSize;

    public MailIntake(TransactionalPublisher publisher, IntakeConfig config, ContentConfig content,
                      TopicNames topics, MessageComposer composer, AccountSendLimits limits) {
        this.publisher = publisher;
        this.limits = limits;
        this.splitter = new JobSplitter(config.jobLifetime(), RequestIds::next);
        this.records = new IntakeRecords(topics, composer, config.maxRecordSize().asLongValue(),
                config.maxRequestRecordsSize().asLongValue());
        this.storeAbove = content.storeAbove().asLongValue();
        this.chunkSize = (int) content.chunkSize().asLongValue();
        if (chunkSize + CHUNK_RECORD_HEADROOM > config.maxRecordSize().asLongValue()) {
            throw new IllegalStateException("letterlock.content.chunk-size (" + chunkSize + " bytes) must be at least "
                    + CHUNK_RECORD_HEADROOM + " bytes below letterlock.intake.max-record-size ("
                    + config.maxRecordSize().asLongValue() + "), the largest record intake writes");
        }
    }

    /**
     * @param now when the request was read: its send_at was judged against it, and its jobs are created at it
     * @return the new X-Message-Id, once every job and event is committed to Kafka
     * @throws ApiException     413 for a message or request too large to queue, 503 when Kafka did
     *                          not commit; in each case nothing was published
     * @throws TooManyRequests when the account sent too much lately; nothing was published
     */
    /**
     * Sandbox mode: everything {@link #accept} checks before it writes (the request would fit),
     * and nothing written or counted against the account, as SendGrid's sandbox consumes no credits.
     *
     * @throws ApiException 413 for a message or request too large to queue
     */
    public void check(String accountId, MailSendRequest request, Instant now) {
        String messageId = RequestIds.next();
        List<SendJob> jobs = splitter.split(request, accountId, messageId, now);
        Optional<ContentChunks> stored = storedContent(request, messageId);
        records.requireFits(stored.map(content -> records.measure(content, jobs, now))
                .orElseGet(() -> records.measure(jobs, now)));
        LOG.infof("intake account=%s recipients=%d personalizations=%d status=sandbox (nothing sent)",
                accountId, jobs.size(), request.personalizations().size());
    }

    public String accept(String accountId, MailSendRequest request, Instant now) {
        String messageId = RequestIds.next();
        List<SendJob> jobs = splitter.split(request, accountId, messageId, now);
        Optional<ContentChunks> stored = storedContent(request, messageId);
        IntakeRecords.RequestSize size = stored.map(content -> records.measure(content, jobs, now))
                .orElseGet(() -> records.measure(jobs, now));
        records.requireFits(size);
        limits.take(accountId, size.recipients(), size.bytes());
        try {
            if (stored.isPresent()) {
                // The content first, once; then the jobs, each naming where it begins.
                ContentChunks content = stored.get();
                publisher.publishAtomically(records.chunks(content),
                        written -> records.of(content, written.get(0), jobs, now));
            } else {
                publisher.publishAtomically(records.of(jobs, now));
            }
        } catch (TransactionalPublisher.PublishFailedException e) {
            // Nothing was sent, and the client is told to retry: the retry should not be throttled for it.
            limits.giveBack(accountId, size.recipients(), size.bytes());
            LOG.errorf(e, "intake message_id=%s account=%s recipients=%d status=failed (%s)",
                    messageId, accountId, jobs.size(), e.getMessage());
            throw ApiException.unavailable("the mail could not be queued and nothing will be sent; retry later");
        }
        LOG.infof("intake message_id=%s account=%s recipients=%d personalizations=%d content=%s status=accepted",
                messageId, accountId, jobs.size(), request.personalizations().size(),
                stored.map(content -> "stored:" + content.bytes()).orElse("copied"));
        return messageId;
    }

    /**
     * The request's content cut into chunks when it is large enough to be stored once rather than
     * copied into every job; empty when the jobs carry it themselves.
     */
    private Optional<ContentChunks> storedContent(MailSendRequest request, String messageId) {
        ContentChunks content = ContentChunks.cut(messageId, new StoredContent(request.content(),
                request.attachments()), chunkSize);
        return content.bytes() > storeAbove ? Optional.of(content) : Optional.empty();
    }
}
