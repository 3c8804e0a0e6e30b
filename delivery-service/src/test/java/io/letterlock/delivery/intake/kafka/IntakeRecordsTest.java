package io.letterlock.delivery.intake.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.intake.api.MailSendBodies;
import io.letterlock.delivery.intake.api.MailSendReader;
import io.letterlock.delivery.intake.service.JobSplitter;
import io.letterlock.delivery.intake.service.MailSendRequest;
import io.letterlock.delivery.intake.service.RequestIds;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.service.TopicNames;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.error.ApiException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.StoredContent;
import io.letterlock.delivery.content.ContentChunks;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntakeRecordsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final long UNLIMITED = Long.MAX_VALUE;

    /** Every topic named by its accessor (sendJobs, events, ...): new topics need no change here. */
    private static final TopicNames TOPICS = (TopicNames) Proxy.newProxyInstance(TopicNames.class.getClassLoader(),
            new Class<?>[]{TopicNames.class}, (proxy, method, args) -> method.isDefault()
                    ? InvocationHandler.invokeDefault(proxy, method, args) : method.getName());

    private static IntakeRecords records(long maxRecordBytes, long maxRequestBytes) {
        return new IntakeRecords(TOPICS, new MessageComposer("mta.letterlock.test"), maxRecordBytes, maxRequestBytes);
    }

    private static List<SendJob> jobs(String body) {
        MailSendRequest request = MailSendReader.read(JsonBody.object(body.getBytes(StandardCharsets.UTF_8)), NOW);
        return new JobSplitter(Duration.ofHours(72), RequestIds::next).split(request, "account-1", RequestIds.next(), NOW);
    }

    private static long recordSize(ProducerRecord<String, byte[]> record) {
        return record.value().length + record.key().getBytes(StandardCharsets.UTF_8).length + 512;
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("one recipient", """
                        {"personalizations":[{"to":[{"email":"a@example.com"}]}],"from":{"email":"s@sender.example"},
                         "subject":"Hi","content":[{"type":"text/plain","value":"Hello"}]}"""),
                Arguments.of("to, cc and bcc with names, overrides, escapes and non-ASCII", """
                        {"personalizations":[
                           {"to":[{"email":"alice@example.com","name":"Alice \\"A\\" Smith"},{"email":"bob@Example.ORG"}],
                            "cc":[{"email":"carol@example.com","name":"Cäcilie 🎉"}],"bcc":[{"email":"dave@bücher.example"}]},
                           {"to":[{"email":"erin@example.net"}],"subject":"Just for Erin","headers":{"X-Campaign":"erin"},
                            "custom_args":{"segment":"vip"},"send_at":1796295600}],
                         "from":{"email":"shop@sender.example","name":"Shop"},"reply_to":{"email":"help@sender.example"},
                         "subject":"Your order","headers":{"X-Campaign":"spring"},"categories":["orders","ü"],
                         "custom_args":{"order":"42"},
                         "content":[{"type":"text/plain","value":"Line 1\\nLine \\"2\\"\\t\\u0001 ünïcödé 😀"},
                                    {"type":"text/html","value":"<p>Hello</p>"}]}"""),
                Arguments.of("many personalizations", manyPersonalizations(50, "Hello </script> \\ \" é")),
                Arguments.of("attachments, one inline, names escaped and non-ASCII", """
                        {"personalizations":[{"to":[{"email":"a@example.com"},{"email":"b@example.org"}]},
                                             {"to":[{"email":"c@example.net"}],"subject":"Yours"}],
                         "from":{"email":"s@sender.example"},"subject":"Invoice",
                         "content":[{"type":"text/plain","value":"See attached"},{"type":"text/html","value":"<img src=\\"cid:logo\\">"}],
                         "attachments":[{"content":"JVBERi0xLjQK","type":"application/pdf","filename":"Rechnung \\"März\\".pdf"},
                                        {"content":"iVBORw0KGgo=","type":"image/png","filename":"logo.png",
                                         "disposition":"inline","content_id":"logo"}]}"""));
    }

    private static String manyPersonalizations(int count, String content) {
        ObjectNode body = MailSendBodies.minimal("p0@example.com");
        ArrayNode personalizations = body.withArray("personalizations");
        for (int i = 1; i < count; i++) {
            personalizations.addObject().putArray("to").addObject().put("email", "p" + i + "@example" + i + ".com")
                    .put("name", "Person " + i);
        }
        ((ObjectNode) body.withArray("content").get(0)).put("value", content);
        return body.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void measuresExactlyWhatItWouldBuild(String name, String body) {
        List<SendJob> jobs = jobs(body);
        IntakeRecords records = records(UNLIMITED, UNLIMITED);

        IntakeRecords.RequestSize size = records.measure(jobs, NOW);

        List<Long> built = new ArrayList<>();
        records.of(jobs, NOW).forEach(record -> built.add(recordSize(record)));
        assertThat(size.recipients()).isEqualTo(jobs.size());
        assertThat(size.bytes()).isEqualTo(built.stream().mapToLong(Long::longValue).sum());
        assertThat(size.largestRecord()).isEqualTo(built.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void measuresStoredContentOnceAndItsJobsAtMostAsLargeAsTheyAreBuilt(String name, String body) {
        List<SendJob> jobs = jobs(body);
        IntakeRecords records = records(UNLIMITED, UNLIMITED);
        ContentChunks content = ContentChunks.cut(jobs.get(0).messageId(),
                new StoredContent(jobs.get(0).content(), jobs.get(0).attachments()), 64);

        IntakeRecords.RequestSize size = records.measure(content, jobs, NOW);

        List<Long> built = new ArrayList<>();
        records.chunks(content).forEach(record -> built.add(recordSize(record)
                + ContentRef.CHUNK_HEADER.length() + record.headers().lastHeader(ContentRef.CHUNK_HEADER).value().length));
        RecordMetadata first = new RecordMetadata(new TopicPartition("content", 0), 0, 0, 0, 0, 0);
        records.of(content, first, jobs, NOW).forEach(record -> built.add(recordSize(record)));
        long exact = built.stream().mapToLong(Long::longValue).sum();
        // The reference is measured at the largest partition and offset there can be: at most 30 digits more per job.
        assertThat(size.bytes()).isBetween(exact, exact + 30L * jobs.size());
        assertThat(size.recipients()).isEqualTo(jobs.size());
        records.of(content, first, jobs, NOW).forEach(record -> {
            if (record.topic().equals(TOPICS.sendJobs()) || record.topic().equals(TOPICS.sendJobsRetry())) {
                SendJob job = Json.fromBytes(record.value(), SendJob.class);
                assertThat(job.content()).isEmpty();
                assertThat(job.attachments()).isEmpty();
                assertThat(job.contentRef()).isEqualTo(content.refAt(0, 0));
            }
        });
    }

    @Test
    void measuresAThousandCopiesOfALargeMessageWithoutMakingThem() {
        // 1,000 recipients of a 1 MiB message: 1 GiB of records if they were made.
        List<SendJob> jobs = jobs(manyPersonalizations(MailSendRequest.MAX_RECIPIENTS, "x".repeat(1 << 20)));
        IntakeRecords records = records(UNLIMITED, UNLIMITED);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long before = threads.getCurrentThreadAllocatedBytes();
        IntakeRecords.RequestSize size = records.measure(jobs, NOW);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(size.bytes()).isGreaterThan(1000L << 20);
        assertThat(allocated).as("bytes allocated while measuring").isLessThan(32L << 20);
    }

    @Test
    void measuresPersonalizationsThatDifferOnlyInTheirRecipientOnceForAll() {
        // 1,000 copies of a 20,000-character subject, one recipient each (the usual way to send each
        // their own copy): their To headers differ, their stand-ins must not, or each is written.
        ObjectNode body = MailSendBodies.minimal("p0@example.com");
        ArrayNode personalizations = body.withArray("personalizations");
        for (int i = 1; i < MailSendRequest.MAX_RECIPIENTS; i++) {
            personalizations.addObject().putArray("to").addObject().put("email", "p" + i + "@example.com");
        }
        body.put("subject", "s".repeat(20_000));
        List<SendJob> jobs = jobs(body.toString());
        IntakeRecords records = records(UNLIMITED, UNLIMITED);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        records.measure(jobs.subList(0, 10), NOW); // classes loaded and serializers made outside the count

        long before = threads.getCurrentThreadAllocatedBytes();
        records.measure(jobs, NOW);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated while measuring: not a copy of the subject a recipient")
                .isLessThan(8L << 20);
    }

    @Test
    void aJobScheduledForLaterWaitsOnTheRetryTopicUntilItsSendAtAndAJobDueNowGoesToSendJobs() {
        Instant later = NOW.plus(Duration.ofHours(2));
        List<SendJob> jobs = jobs("""
                {"personalizations":[{"to":[{"email":"now@example.com"}]},
                                     {"to":[{"email":"later@example.com"}],"send_at":%d},
                                     {"to":[{"email":"past@example.com"}],"send_at":%d}],
                 "from":{"email":"s@sender.example"},"subject":"Hi","content":[{"type":"text/plain","value":"Hello"}]}"""
                .formatted(later.getEpochSecond(), NOW.minusSeconds(60).getEpochSecond()));

        Map<String, String> topicByRecipient = new HashMap<>();
        Map<String, Instant> notBeforeByRecipient = new HashMap<>();
        records(UNLIMITED, UNLIMITED).of(jobs, NOW).forEach(record -> {
            if (!record.topic().equals(TOPICS.events())) {
                SendJob job = Json.fromBytes(record.value(), SendJob.class);
                topicByRecipient.put(job.to().email(), record.topic());
                notBeforeByRecipient.put(job.to().email(), job.notBefore());
            }
        });

        assertThat(topicByRecipient).containsOnly(Map.entry("now@example.com", TOPICS.sendJobs()),
                Map.entry("later@example.com", TOPICS.sendJobsRetry()), Map.entry("past@example.com", TOPICS.sendJobs()));
        assertThat(notBeforeByRecipient.get("later@example.com")).isEqualTo(later);
        assertThat(notBeforeByRecipient.get("now@example.com")).isNull();
        assertThat(notBeforeByRecipient.get("past@example.com")).isNull();
    }

    @Test
    void refusesARequestLargerThanItsLimitWith413NamingTheLimit() {
        List<SendJob> jobs = jobs(manyPersonalizations(10, "x".repeat(10_000)));
        IntakeRecords records = records(UNLIMITED, 50_000);

        assertThatThrownBy(() -> records.requireFits(records.measure(jobs, NOW)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.body().errors().get(0).message()).contains("10 recipients").contains("at most 50000 bytes");
                });
    }

    @Test
    void refusesAJobLargerThanARecordWith413OnContent() {
        List<SendJob> jobs = jobs(manyPersonalizations(1, "x".repeat(10_000)));
        IntakeRecords records = records(10_000, UNLIMITED);

        assertThatThrownBy(() -> records.requireFits(records.measure(jobs, NOW)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.body().errors().get(0).field()).isEqualTo("content");
                });
    }
}
