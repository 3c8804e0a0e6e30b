package io.letterlock.delivery.intake.service;

import io.letterlock.contracts.SendJob;
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

/**
 * Accepts one validated v3 mail send request for an account: splits it into jobs, and writes the
 * jobs and their processed events to Kafka in one transaction. Logs one line per request.
 */
@ApplicationScoped
public class MailIntake {

    private static final Logger LOG = Logger.getLogger(MailIntake.class);

    private final TransactionalPublisher publisher;
    private final JobSplitter splitter;
    private final IntakeRecords records;
    private final AccountSendLimits limits;

    public MailIntake(TransactionalPublisher publisher, IntakeConfig config, TopicNames topics,
                      MessageComposer composer, AccountSendLimits limits) {
        this.publisher = publisher;
        this.limits = limits;
        this.splitter = new JobSplitter(config.jobLifetime(), RequestIds::next);
        this.records = new IntakeRecords(topics, composer, config.maxRecordSize().asLongValue(),
                config.maxRequestRecordsSize().asLongValue());
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
        List<SendJob> jobs = splitter.split(request, accountId, RequestIds.next(), now);
        records.requireFits(records.measure(jobs, now));
        LOG.infof("intake account=%s recipients=%d personalizations=%d status=sandbox (nothing sent)",
                accountId, jobs.size(), request.personalizations().size());
    }

    public String accept(String accountId, MailSendRequest request, Instant now) {
        String messageId = RequestIds.next();
        List<SendJob> jobs = splitter.split(request, accountId, messageId, now);
        IntakeRecords.RequestSize size = records.measure(jobs, now);
        records.requireFits(size);
        limits.take(accountId, size.recipients(), size.bytes());
        try {
            publisher.publishAtomically(records.of(jobs, now));
        } catch (TransactionalPublisher.PublishFailedException e) {
            // Nothing was sent, and the client is told to retry: the retry should not be throttled for it.
            limits.giveBack(accountId, size.recipients(), size.bytes());
            LOG.errorf(e, "intake message_id=%s account=%s recipients=%d status=failed (%s)",
                    messageId, accountId, jobs.size(), e.getMessage());
            throw ApiException.unavailable("the mail could not be queued and nothing will be sent; retry later");
        }
        LOG.infof("intake message_id=%s account=%s recipients=%d personalizations=%d status=accepted",
                messageId, accountId, jobs.size(), request.personalizations().size());
        return messageId;
    }
}
