package io.letterlock.delivery.message;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** How messages are written. */
@ConfigMapping(prefix = "letterlock.message")
public interface MessageConfig {

    /**
     * The right-hand side of every Message-ID, {@code <job_id@id-host>} (RFC 5322 §3.6.4), env
     * {@code LETTERLOCK_MESSAGE_ID_HOST}. Unset: this machine's host name. Set it to one name for
     * all replicas, so that a job keeps its Message-ID when another replica retries it.
     */
    Optional<String> idHost();
}
