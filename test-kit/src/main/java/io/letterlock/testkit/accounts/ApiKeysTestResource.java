package io.letterlock.testkit.accounts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/** Gives a {@code @QuarkusTest} application the API keys file of {@link TestAccounts}. */
public class ApiKeysTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path file = TestAccounts.writeKeysFile(Path.of("target"));
        return Map.of("letterlock.api-keys.file", file.toAbsolutePath().toString());
    }

    @Override
    public void stop() {
    }
}
