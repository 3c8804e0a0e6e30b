package io.letterlock.delivery.startup;

import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void aStaticRouteThatDoesNotParseStopsTheStartNamingTheEntry() throws IOException {
        assertStartRefused("delivery-route-bad", Map.of("letterlock.routes", "example.com"),
                "letterlock.routes");
    }

    /** Starts the service with these settings added, expects it to exit, and checks it logged why. */
    private void assertStartRefused(String name, Map<String, String> settings, String reason) throws IOException {
        String run = UUID.randomUUID().toString();
        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfig());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(dir).toAbsolutePath().toString());
        config.put("letterlock.delivery.consumer-group", "files-at-start-" + run);
        config.put("letterlock.retry.scheduler.group-id", "files-at-start-retry-" + run);
        config.putAll(settings);
        assertThat(new ServiceProcess(name + "-" + run, JAR, config).startExpectingExit()).contains(reason);
    }
}
