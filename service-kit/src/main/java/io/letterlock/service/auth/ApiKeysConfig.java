package io.letterlock.service.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where API keys come from. The file is re-read when it changes, so keys rotate without restart. */
@ConfigMapping(prefix = "letterlock.api-keys")
public interface ApiKeysConfig {

    /**
     * One {@code account_id:api_key[:parent_account_id]} per line ({@code LETTERLOCK_API_KEYS_FILE}).
     * Without it every API request is refused with 401.
     */
    Optional<Path> file();

    /** How often, at most, the file's modification time is checked. */
    @WithDefault("5s")
    Duration reloadInterval();
}
