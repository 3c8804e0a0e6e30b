package io.letterlock.delivery.intake.kafka;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.content.ContentChunks;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.service.TopicNames;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The records one request writes: each job on send-jobs (or, scheduled for later, on the retry
 * topic until due), keyed by its recipient domain so one worker owns a domain's connections, and its {@code processed} event on events, keyed by message
 * id so all of a message's events stay in order.
 *
 * <p>A job carries the whole content unless it was stored once for the request (a claim check,
 * {@link ContentChunks}); small content is copied, so a request's records can be many times its body
 * (1,000 recipients of a 60 KB message are 60 MB). They are therefore measured before any is built
 * ({@link #measure}), refused when too large ({@link #requireFits}), and built one at a time as the
 * publisher takes them ({@link #of}).
 */
public final class IntakeRecords {

    /** Room for the record batch's own overhead within Kafka's request size (a few dozen bytes). */
    private static final int RECORD_OVERHEAD = 512;

    /*
     * Stand-ins for what differs between jobs (recipient, job id, headers, which name the
     * personalization's recipients) or is large and the same for all (content). A job's JSON is
     * its stand-in job's JSON with each stand-in's JSON swapped for the real value's: Jackson
     * writes every field on its own, so the lengths add up exactly.
     */
    private static final EmailAddress STAND_IN_RECIPIENT = EmailAddress.of("x@x");
    private static final String STAND_IN_JOB_ID = "";
    private static final List<MailContent> STAND_IN_CONTENT = List.of(MailContent.plain(""));
    private static final Map<String, String> STAND_IN_HEADERS = Map.of("x", "");

    private final TopicNames topics;
    private final MessageComposer composer;
    private final long maxRecordBytes;
    private final long maxRequestBytes;

    public IntakeRecords(TopicNames topics, MessageComposer composer, long maxRecordBytes, long maxRequestBytes) {
        this.topics = topics;
        this.composer = composer;
        this.maxRecordBytes = maxRecordBytes;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The sizes of the records {@link #of} would build, without building them: each distinct
     * content and each personalization's shared fields are serialized once, whatever the number of
     * recipients, so measuring costs the recipients' addresses and events, not copies of the content.
     */
    public RequestSize measure(List<SendJob> jobs, Instant now) {
        Map<List<MailContent>, Integer> contentBytes = new HashMap<>();
        Map<List<MailAttachment>, Integer> attachmentBytes = new HashMap<>();
        // A stand-in job's bytes less its stand-ins' own: the same for every recipient of one personalization.
        Map<SendJob, Integer> sharedJobBytes = new HashMap<>();
        long total = 0;
        long largest = 0;
        for (SendJob job : jobs) {
            // Equal lists share their strings, so these lookups compare references, not content.
            int content = contentBytes.computeIfAbsent(job.content(), c -> Json.toBytes(c).length);
            // The stand-in has none; a job's copy of the files is the field and its array.
            int files = job.attachments().isEmpty() ? 0 : attachmentBytes.computeIfAbsent(job.attachments(),
                    a -> ",\"attachments\":".length() + Json.toBytes(a).length);
            int shared = sharedJobBytes.computeIfAbsent(standIn(job), standIn -> Json.toBytes(standIn).length
                    - Json.toBytes(standIn.to()).length - Json.toBytes(standIn.jobId()).length
                    - Json.toBytes(standIn.content()).length - headersBytes(standIn));
            long jobValue = shared + content + files + Json.toBytes(job.to()).length + Json.toBytes(job.jobId()).length
                    + headersBytes(job);
            long jobRecord = recordSize(job.recipientDomain(), jobValue);
            long eventRecord = recordSize(job.messageId(), Json.toBytes(processed(job, now)).length);
            total += jobRecord + eventRecord;
            largest = Math.max(largest, Math.max(jobRecord, eventRecord));
        }
        return new RequestSize(jobs.size(), total, largest);
    }

    /**
     * The sizes of the records {@link #of(ContentChunks, List, Instant)} would build: the content
     * once, as its chunks, and each job pointing to it (measured with the largest reference there
     * can be, as its offset is only known once the chunks are written).
     */
    public RequestSize measure(ContentChunks content, List<SendJob> jobs, Instant now) {
        ContentRef largestRef = content.refAt(Integer.MAX_VALUE, Long.MAX_VALUE);
        RequestSize referring = measure(jobs.stream().map(job -> job.withContentRef(largestRef)).toList(), now);
        long total = referring.bytes();
        long largest = referring.largestRecord();
        for (int i = 0; i < content.chunks().size(); i++) {
            long chunk = recordSize(content.key(), content.chunks().get(i).length)
                    + ContentRef.CHUNK_HEADER.length() + ContentChunks.indexHeader(i).length;
            total += chunk;
            largest = Math.max(largest, chunk);
        }
        return new RequestSize(jobs.size(), total, largest);
    }

    /** @throws ApiException 413 when a record, or all of them together, would be larger than allowed */
    public void requireFits(RequestSize size) {
        if (size.largestRecord() > maxRecordBytes) {
            throw new ApiException(413, ApiError.of("content", "the message is too large to queue: each recipient's "
                    + "copy would take up to " + size.largestRecord() + " bytes, and at most " + maxRecordBytes
                    + " are allowed"));
        }
        if (size.bytes() > maxRequestBytes) {
            throw new ApiException(413, ApiError.of(null, "the request is too large to queue: its "
                    + size.recipients() + " recipients' copies of the message would take " + size.bytes()
                    + " bytes together, and one request may take at most " + maxRequestBytes
                    + " bytes; send to fewer recipients per request, or a smaller message"));
        }
    }

    /**
     * The jobs' records, then their events', each built only when the publisher asks for it, so
     * that a request holds one record at a time rather than all of them.
     */
    public Iterable<ProducerRecord<String, byte[]>> of(List<SendJob> jobs, Instant now) {
        return () -> Stream.concat(
                jobs.stream().map(job -> new ProducerRecord<>(topicOf(job), job.recipientDomain(), Json.toBytes(job))),
                jobs.stream().map(job -> new ProducerRecord<>(topics.events(), job.messageId(),
                        Json.toBytes(processed(job, now))))).iterator();
    }

    /** The content's chunks, on the mail-content topic, keyed by the request's message id, in order. */
    public List<ProducerRecord<String, byte[]>> chunks(ContentChunks content) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(content.chunks().size());
        for (int i = 0; i < content.chunks().size(); i++) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.mailContent(), content.key(),
                    content.chunks().get(i));
            record.headers().add(ContentRef.CHUNK_HEADER, ContentChunks.indexHeader(i));
            records.add(record);
        }
        return records;
    }

    /**
     * As {@link #of(List, Instant)}, each job pointing to the content's chunks, the first of which
     * was written where {@code first} says, instead of carrying a copy.
     */
    public Iterable<ProducerRecord<String, byte[]>> of(ContentChunks content, RecordMetadata first,
                                                       List<SendJob> jobs, Instant now) {
        ContentRef ref = content.refAt(first.partition(), first.offset());
        return of(jobs.stream().map(job -> job.withContentRef(ref)).toList(), now);
    }

    /**
     * send-jobs for a job due now; the retry topic for one scheduled for later ({@code send_at}),
     * so that a tenant scheduling 10,000 messages does not put them in front of everyone's mail
     * due now: the worker would read, and hand back, each one first.
     */
    private String topicOf(SendJob job) {
        return job.notBefore() == null ? topics.sendJobs() : topics.sendJobsRetry();
    }

    /** SendGrid's processed event carries the smtp-id, so it is known before delivery starts. */
    private MailEvent processed(SendJob job, Instant now) {
        return MailEvent.builder(EventType.PROCESSED, job)
                .timestamp(now)
                .smtpId(composer.messageId(job))
                .build();
    }

    /**
     * The job with its stand-ins: the same for every recipient of one personalization, and for
     * personalizations that differ in their recipients alone (one recipient each, the usual way to
     * send each their own copy). Every other field is the job's, so it is measured as written; a
     * job pointing to stored content keeps its empty content and its reference, one without
     * headers its empty headers (neither is written).
     */
    private static SendJob standIn(SendJob job) {
        List<MailContent> content = job.content().isEmpty() ? List.of() : STAND_IN_CONTENT;
        Map<String, String> headers = job.headers().isEmpty() ? Map.of() : STAND_IN_HEADERS;
        return new SendJob(job.messageId(), job.accountId(), STAND_IN_JOB_ID, job.from(), STAND_IN_RECIPIENT,
                job.replyTo(), job.subject(), content, headers, job.categories(), job.customArgs(),
                job.sendAt(), job.attempt(), job.notBefore(), job.createdAt(), job.expiresAt(), job.requiretls(),
                List.of(), job.reportType(), job.batchId(), job.asmGroupId(), job.bypass(), job.contentRef());
    }

    /** The headers' JSON, or nothing: empty headers are not written at all. */
    private static int headersBytes(SendJob job) {
        return job.headers().isEmpty() ? 0 : Json.toBytes(job.headers()).length;
    }

    private static long recordSize(String key, long valueBytes) {
        return valueBytes + key.getBytes(StandardCharsets.UTF_8).length + RECORD_OVERHEAD;
    }

    /**
     * What a request's records take.
     *
     * @param recipients    how many jobs, one per recipient
     * @param bytes         all records together, jobs and events, keys and overhead included
     * @param largestRecord the largest single record
     */
    public record RequestSize(int recipients, long bytes, long largestRecord) {
    }
}
