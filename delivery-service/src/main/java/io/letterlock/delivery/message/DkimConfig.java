package io.letterlock.delivery.message;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** Which messages delivery signs with DKIM, and with what. */
@ConfigMapping(prefix = "letterlock.dkim")
public interface DkimConfig {

    /**
     * Signing keys, comma separated, each {@code domain:selector:/path/to/private-key.pem} (env
     * {@code LETTERLOCK_DKIM_KEYS}). A message whose From domain is {@code domain}, or under it, is
     * signed with {@code d=domain}; the closest domain wins. The file holds an unencrypted RSA key of
     * at least 1024 bits (2048 recommended) in PEM, PKCS#8 or PKCS#1. Unset: nothing is signed.
     */
    Optional<List<String>> keys();
}
