package io.letterlock.events;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh Kafka Streams state folder and application id for each start of the application under
 * test, so no run restores another run's stores or joins its group.
 */
public class ActivityStreamsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "letterlock.activity.state-dir", Files.createTempDirectory("letterlock-streams-test").toString(),
                    "letterlock.activity.application-id", "events-activity-test-" + UUID.randomUUID(),
                    // The test HTTP port is chosen at start, after Kafka Streams took its address; a lone
                    // instance only needs the address it compares against to be the one it advertised.
                    "letterlock.activity.advertised-port", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
