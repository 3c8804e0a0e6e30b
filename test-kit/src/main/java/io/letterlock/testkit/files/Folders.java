package io.letterlock.testkit.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the tests, the fault suite and the benchmarks make and remove. */
public final class Folders {

    private Folders() {
    }

    /**
     * Deletes {@code path} and everything under it, deepest first; nothing when it does not exist. A
     * file that goes away meanwhile (a stopping service's last write) is no error.
     *
     * @throws IOException when something under it cannot be deleted
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
