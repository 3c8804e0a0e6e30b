package io.letterlock.policy.auth;

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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service, started as operators start it, with an API keys file it cannot use: it
 * stops at start and says why. (The registry used to be made at the first request, so such a
 * service reported itself ready and answered every API call with 500 "internal error"; found
 * running delivery-service in a container whose user could not read the mounted file.)
 */
@Execution(ExecutionMode.CONCURRENT)
class ApiKeysFileAtStartIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));

    @TempDir
    Path dir;

    @Test
    void aMissingKeysFileStopsTheStartAndSaysSo() throws IOException {
        Path missing = dir.resolve("api-keys");

        assertStartRefused("policy-missing-keys", missing, "cannot read API keys file " + missing + ": no such file");
    }

    @Test
    void aKeysFileThatDoesNotParseStopsTheStartNamingTheLineNotItsContent() throws IOException {
        Path broken = Files.writeString(dir.resolve("api-keys"), "# accounts\nalice:LL.secret-of-alice\nno colon here\n");

        String log = assertStartRefused("policy-broken-keys", broken,
                "API keys file, line 3: expected account_id:api_key[:parent_account_id]");
        assertThat(log).doesNotContain("secret-of-alice").doesNotContain("no colon here");
    }

    /** Starts the service with this keys file, expects it to exit, and returns what it logged. */
    private static String assertStartRefused(String name, Path keys, String reason) throws IOException {
        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfig());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", keys.toString());
        String log = new ServiceProcess(name + "-" + UUID.randomUUID(), JAR, config).startExpectingExit();
        assertThat(log).contains(reason);
        return log;
    }
}
