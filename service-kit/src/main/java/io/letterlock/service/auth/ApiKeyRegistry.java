package io.letterlock.service.auth;

import io.letterlock.contracts.FileReadFailures;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The accounts allowed to call the API, from the API keys file. A changed file is picked up within
 * {@link ApiKeysConfig#reloadInterval()}; a file that no longer parses keeps the last good keys
 * and says why in the log, so a typo during rotation does not lock every sender out.
 *
 * <p>Read as the service starts ({@link Startup}), not at the first request: a file that is missing,
 * unreadable (a Kubernetes Secret mounted with a mode the service's user may not read) or broken
 * stops the start with the reason, where a lazily made registry let the service report itself
 * ready and then answer every API request with 500.
 */
@Startup
@ApplicationScoped
public class ApiKeyRegistry {

    private static final Logger LOG = Logger.getLogger(ApiKeyRegistry.class);

    private final Optional<Path> file;
    private final long reloadIntervalNanos;
    private volatile ApiKeysFile keys = ApiKeysFile.empty();
    private volatile FileTime loadedModified;
    private volatile long nextCheck;

    public ApiKeyRegistry(ApiKeysConfig config) {
        this.file = config.file();
        this.reloadIntervalNanos = config.reloadInterval().toNanos();
        if (file.isEmpty()) {
            LOG.warn("letterlock.api-keys.file (LETTERLOCK_API_KEYS_FILE) is not set: every API request gets 401");
            return;
        }
        // A missing or broken file at start is an operator error worth failing for.
        keys = read(file.get());
        LOG.infof("API keys file %s: %d accounts", file.get(), keys.size());
    }

    public Optional<Account> authenticate(String presentedKey) {
        reloadIfChanged();
        return keys.accountForKey(presentedKey);
    }

    public Optional<Account> account(String id) {
        reloadIfChanged();
        return keys.account(id);
    }

    private void reloadIfChanged() {
        if (file.isEmpty() || System.nanoTime() - nextCheck < 0) {
            return;
        }
        synchronized (this) {
            nextCheck = System.nanoTime() + reloadIntervalNanos;
            try {
                FileTime modified = Files.getLastModifiedTime(file.get());
                if (modified.equals(loadedModified)) {
                    return;
                }
                keys = read(file.get());
                LOG.infof("API keys file %s reloaded: %d accounts", file.get(), keys.size());
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                LOG.errorf("API keys file %s not reloaded, keeping the previous keys: %s", file.get(), e.getMessage());
            }
        }
    }

    private ApiKeysFile read(Path path) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            ApiKeysFile parsed = ApiKeysFile.parse(Files.readAllLines(path));
            loadedModified = modified;
            return parsed;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read API keys file " + path + ": " + FileReadFailures.reason(e), e);
        }
    }
}
