package io.letterlock.contracts;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Why a file an operator named (API keys, DKIM keys, trusted CAs) could not be read, in words they
 * act on: {@link NoSuchFileException}'s and {@link AccessDeniedException}'s own messages are only
 * the path, which the error names already.
 */
public final class FileReadFailures {

    private FileReadFailures() {
    }

    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            // In a container the user is often only a number (OpenShift, Quarkus' images: 185).
            return "permission denied to the service's user (" + System.getProperty("user.name") + ")";
        }
        return e.toString();
    }
}
