package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why an operator's file could not be read, in words they act on: the exceptions' own messages are
 * only the path. (A process running as root reads any file, so the permission case is built here.)
 */
class FileReadFailuresTest {

    @Test
    void aFileTheServiceMayNotReadIsNamedAsSuchWithTheUser() {
        assertThat(FileReadFailures.reason(new AccessDeniedException("/config/api-keys")))
                .isEqualTo("permission denied to the service's user (" + System.getProperty("user.name") + ")");
    }

    @Test
    void aMissingFileIsNamedAsSuch() {
        assertThat(FileReadFailures.reason(new NoSuchFileException("/config/api-keys"))).isEqualTo("no such file");
    }

    @Test
    void anyOtherFailureKeepsItsKindAndMessage() {
        assertThat(FileReadFailures.reason(new IOException("Is a directory")))
                .isEqualTo("java.io.IOException: Is a directory");
    }
}
