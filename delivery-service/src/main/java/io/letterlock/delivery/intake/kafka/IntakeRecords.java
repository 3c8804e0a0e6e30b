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
import java.util.stream.IntStream;
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
 * publisher takes them ({@link #of}). What a measure had to build anyway (the processed events, and
 * jobs too small for the stand-ins below to save anything) it keeps for writing, up to
 * {@link #KEPT_BYTES} a request, so that most requests' records are each built once.
 */
public final class IntakeRecords {

    /** Room for the record batch's own overhead within Kafka's request size (a few dozen bytes). */
    private static final int RECORD_OVERHEAD = 512;
    /**
     * Records a measure keeps for writing, in bytes: a few hundred recipients' jobs and events of a
     * small message. Past it they are built again as they are written, so that what a request
     * holds until it is written stays small whatever it copies to every recipient.
     */
    static final int KEPT_BYTES = 1 << 20;

    /*
     * Stand-ins for what differs between jobs (recipient, job id) or is large and the same for all
     * (content). A job's JSON is its stand-in job's JSON with each stand-in's JSON swapped for the
     * real value's: Jackson writes every field on its own, so the lengths add up exactly.
     */
    private static final EmailAddress STAND_IN_RECIPIENT = EmailAddress.of("x@x");
    private static final String STAND_IN_JOB_ID = "";
    private static final List<MailContent> STAND_IN_CONTENT = List.of(MailContent.plain(""));

    private final TopicNames topics;
    private final MessageComposer composer;
    private final long maxRecordBytes;
    private final long maxRequestBytes;
    private final long keptBytes;

    public IntakeRecords(TopicNames topics, MessageComposer composer, long maxRecordBytes, long maxRequestBytes) {
        this(topics, composer, maxRecordBytes, maxRequestBytes, KEPT_BYTES);
    }

    /** @param keptBytes at most this many bytes of records a measure keeps for writing ({@link #KEPT_BYTES}) */
    IntakeRecords(TopicNames topics, MessageComposer composer, long maxRecordBytes, long maxRequestBytes,
                  long keptBytes) {
        this.topics = topics;
        this.composer = composer;
        this.maxRecordBytes = maxRecordBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.keptBytes = keptBytes;
    }

    /**
     * The sizes of the records {@link #of} would build, without building copies of large content:
     * each distinct content and each personalization's shared fields are serialized once, whatever
     * the number of recipients, so measuring costs the recipients' addresses and events, not copies
     * of the content. A job small enough to keep is measured by building it.
     */
    public Measured measure(List<SendJob> jobs, Instant now) {
        byte[][] jobValues = new byte[jobs.size()][];
        byte[][] eventValues = new byte[jobs.size()][];
        long kept = 0;
        boolean keeping = true;
        Map<List<MailContent>, Integer> contentBytes = new HashMap<>();
        Map<List<MailAttachment>, Integer> attachmentBytes = new HashMap<>();
        // A stand-in job's bytes less its stand-ins' own: the same for every recipient of one personalization.
        Map<SendJob, Integer> sharedJobBytes = new HashMap<>();
        long total = 0;
        long largest = 0;
        for (int i = 0; i < jobs.size(); i++) {
            SendJob job = jobs.get(i);
            // Equal lists share their strings, so these lookups compare references, not content.
            int content = contentBytes.computeIfAbsent(job.content(), c -> Json.toBytes(c).length);
            // The stand-in has none; a job's copy of the files is the field and its array.
            int files = job.attachments().isEmpty() ? 0 : attachmentBytes.computeIfAbsent(job.attachments(),
                    a -> ",\"attachments\":".length() + Json.toBytes(a).length);
            long jobValue;
            if (keeping && kept + content + files < keptBytes) {
                // Its stand-in would cost as much to write as the job itself, which is then kept.
                byte[] value = Json.toBytes(job);
                jobValue = value.length;
                keeping = kept + value.length <= keptBytes;
                if (keeping) {
                    jobValues[i] = value;
                    kept += value.length;
                }
            } else {
                int shared = sharedJobBytes.computeIfAbsent(standIn(job), standIn -> Json.toBytes(standIn).length
                        - Json.toBytes(standIn.to()).length - Json.toBytes(standIn.jobId()).length
                        - Json.toBytes(standIn.content()).length);
                jobValue = shared + content + files + Json.toBytes(job.to()).length + Json.toBytes(job.jobId()).length;
            }
            long jobRecord = recordSize(job.recipientDomain(), jobValue);
            // An event is measured only by building it (its ids are new each time), so it is built once.
            byte[] event = Json.toBytes(processed(job, now));
            keeping = keeping && kept + event.length <= keptBytes;
            if (keeping) {
                eventValues[i] = event;
                kept += event.length;
            }
            long eventRecord = recordSize(job.messageId(), event.length);
            total += jobRecord + eventRecord;
            largest = Math.max(largest, Math.max(jobRecord, eventRecord));
        }
        return new Measured(jobs, now, new RequestSize(jobs.size(), total, largest), jobValues, eventValues);
    }

    /**
     * The sizes of the records {@link #of(ContentChunks, RecordMetadata, Measured)} would build: the content
     * once, as its chunks, and each job pointing to it (measured with the largest reference there
     * can be, as its offset is only known once the chunks are written).
     */
    public Measured measure(ContentChunks content, List<SendJob> jobs, Instant now) {
        ContentRef largestRef = content.refAt(Integer.MAX_VALUE, Long.MAX_VALUE);
        Measured measured = measure(jobs.stream().map(job -> job.withContentRef(largestRef)).toList(), now);
        RequestSize referring = measured.size();
        long total = referring.bytes();
        long largest = referring.largestRecord();
        for (int i = 0; i < content.chunks().size(); i++) {
            long chunk = recordSize(content.key(), content.chunks().get(i).length)
                    + ContentRef.CHUNK_HEADER.length() + ContentChunks.indexHeader(i).length;
            total += chunk;
            largest = Math.max(largest, chunk);
        }
        // The jobs are written pointing to where the chunks were actually written: none measured is kept.
        return new Measured(jobs, now, new RequestSize(jobs.size(), total, largest), new byte[jobs.size()][],
                measured.eventValues());
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
     * The measured jobs' records, then their events', each built only when the publisher asks for
     * it (or kept from the measure), so that a request holds one record at a time rather than all
     * of them.
     */
    public Iterable<ProducerRecord<String, byte[]>> of(Measured measured) {
        return of(measured.jobs(), measured);
    }

    private Iterable<ProducerRecord<String, byte[]>> of(List<SendJob> jobs, Measured measured) {
        byte[][] jobValues = measured.jobValues();
        byte[][] eventValues = measured.eventValues();
        return () -> Stream.concat(
                IntStream.range(0, jobs.size()).mapToObj(i -> new ProducerRecord<>(topicOf(jobs.get(i)),
                        jobs.get(i).recipientDomain(), jobValues[i] != null ? jobValues[i] : Json.toBytes(jobs.get(i)))),
                IntStream.range(0, jobs.size()).mapToObj(i -> new ProducerRecord<>(topics.events(),
                        jobs.get(i).messageId(), eventValues[i] != null ? eventValues[i]
                        : Json.toBytes(processed(jobs.get(i), measured.now()))))).iterator();
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
     * As {@link #of(Measured)}, each job pointing to the content's chunks, the first of which
     * was written where {@code first} says, instead of carrying a copy.
     */
    public Iterable<ProducerRecord<String, byte[]>> of(ContentChunks content, RecordMetadata first, Measured measured) {
        ContentRef ref = content.refAt(first.partition(), first.offset());
        return of(measured.jobs().stream().map(job -> job.withContentRef(ref)).toList(), measured);
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
     * The job with its stand-ins: the same for every recipient of one personalization. Every other
     * field is the job's, so it is measured as written; a job pointing to stored content keeps its
     * empty content and its reference.
     */
    private static SendJob standIn(SendJob job) {
        List<MailContent> content = job.content().isEmpty() ? List.of() : STAND_IN_CONTENT;
        return new SendJob(job.messageId(), job.accountId(), STAND_IN_JOB_ID, job.from(), STAND_IN_RECIPIENT,
                job.replyTo(), job.subject(), content, job.headers(), job.categories(), job.customArgs(),
                job.sendAt(), job.attempt(), job.notBefore(), job.createdAt(), job.expiresAt(), job.requiretls(),
                List.of(), job.reportType(), job.batchId(), job.asmGroupId(), job.bypass(), job.contentRef());
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

    /**
     * A request's jobs as measured, to be written by {@link #of(Measured)}.
     *
     * @param jobValues   each job's JSON as built while measuring, or null where it was not kept;
     *                    not to be changed
     * @param eventValues each job's processed event, the same way
     */
    public record Measured(List<SendJob> jobs, Instant now, RequestSize size, byte[][] jobValues,
                           byte[][] eventValues) {
    }
}
