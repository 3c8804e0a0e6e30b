package io.letterlock.service.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why a keys file could not be read, in words an operator acts on: the exceptions' own messages
 * are only the path. (That a bad file stops the start: policy-service's ApiKeysFileAtStartIT; a
 * process running as root reads any file, so the permission case is checked here.)
 */
class ApiKeyRegistryTest {

    @Test
    void aFileTheServiceMayNotReadIsNamedAsSuchWithTheUser() {
        assertThat(ApiKeyRegistry.reason(new AccessDeniedException("/config/api-keys")))
                .isEqualTo("permission denied to the service's user (" + System.getProperty("user.name") + ")");
    }

    @Test
    void aMissingFileIsNamedAsSuch() {
        assertThat(ApiKeyRegistry.reason(new NoSuchFileException("/config/api-keys"))).isEqualTo("no such file");
    }

    @Test
    void anyOtherFailureKeepsItsKindAndMessage() {
        assertThat(ApiKeyRegistry.reason(new IOException("Is a directory")))
                .isEqualTo("java.io.IOException: Is a directory");
    }
}
