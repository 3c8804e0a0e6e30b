package io.letterlock.delivery.startup;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service, started as operators start it, with a file it was told to read and cannot,
 * or a setting that does not parse: it stops at start and names the file or entry and why, rather
 * than run on and fail each request (a DKIM key it could not read: every /v3/mail/send answered
 * 500) or defer each job (trusted CAs it could not read: the delivery machinery, built beside the
 * start, failed, and every job was deferred with an internal error). A bad static route stopped
 * the start before these changes too; it is here as README promises it.
 */
@Execution(ExecutionMode.CONCURRENT)
class OperatorFilesAtStartIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));

    @TempDir
    Path dir;
    /** The topics of the catalogue, those of the other services created: as in a running system. */
    private final Map<String, String> topics = LetterlockTopics.uniqueTopicConfigFor(Topic.Service.DELIVERY);

    @Test
    void aDkimKeyThatCannotBeReadStopsTheStart() throws IOException {
        Path missing = dir.resolve("example.com.pem");

        assertStartRefused("delivery-dkim-missing", Map.of("letterlock.dkim.keys", "example.com:s1:" + missing),
                "cannot read the DKIM key file " + missing + ": no such file");
    }

    @Test
    void trustedCasThatCannotBeReadStopTheStart() throws IOException {
        Path missing = dir.resolve("trust.pem");

        assertStartRefused("delivery-trust-missing", Map.of("letterlock.trust-pem", missing.toString()),
                "cannot read trusted CAs from " + missing + ": no such file");
    }

    /**
     * The trusted CAs are read as the delivery machinery is built, on a thread beside the start. Here
     * that read waits (the file is a named pipe) until every view the loop waits for is ready, and
     * then fails: the service stops without its loop ever joining the send-jobs group, so it held no
     * partition and took no job to defer (before, the loop joined as soon as the views were ready,
     * and only the build's usual speed kept jobs away from a replica that was about to stop).
     */
    @Test
    void aMachineryThatFailsAfterTheViewsAreReadyStopsTheStartBeforeTheGroupJoin() throws Exception {
        Path pipe = dir.resolve("trust.pem");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
        ServiceProcess service = service("delivery-trust-late", Map.of("letterlock.trust-pem", pipe.toString()));
        try {
            service.start(); // ready: readiness does not wait for the machinery, built beside it
            ProcessHandle jvm = ProcessHandle.of(service.pid()).orElseThrow();

            List<String> views = Stream.of("tls-settings", "domain-policies", "suppressions", "mail-batches",
                    "mta-sts-policies").map(view -> "view of " + topics.get("letterlock.topics." + view) + " rebuilt")
                    .toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> views.stream().allMatch(Files.readString(service.log())::contains));
            Files.writeString(pipe, "not a certificate\n"); // lets the build go on, to fail

            jvm.onExit().get(60, TimeUnit.SECONDS);
        } finally {
            service.close();
        }
        String log = Files.readString(service.log());
        assertThat(log).contains("the delivery machinery cannot be built").contains(pipe.toString())
                .doesNotContain("joining group");
    }

    @Test
    void aStaticRouteThatDoesNotParseStopsTheStartNamingTheEntry() throws IOException {
        assertStartRefused("delivery-route-bad", Map.of("letterlock.routes", "example.com"),
                "letterlock.routes");
    }

    /** Starts the service with these settings added, expects it to exit, and checks it logged why. */
    private String assertStartRefused(String name, Map<String, String> settings, String reason) throws IOException {
        String log = service(name, settings).startExpectingExit();
        assertThat(log).contains(reason);
        return log;
    }

    /** The service with these settings added, not started. */
    private ServiceProcess service(String name, Map<String, String> settings) throws IOException {
        String run = UUID.randomUUID().toString();
        Map<String, String> config = new HashMap<>(topics);
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(dir).toAbsolutePath().toString());
        config.put("letterlock.delivery.consumer-group", "files-at-start-" + run);
        config.put("letterlock.retry.scheduler.group-id", "files-at-start-retry-" + run);
        config.putAll(settings);
        return new ServiceProcess(name + "-" + run, JAR, config);
    }
}
