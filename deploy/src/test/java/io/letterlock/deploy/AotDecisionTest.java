package io.letterlock.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When deploy/local/run starts a JVM with JDK 25's AOT cache, as the behaviour table of
 * deploy/local/aot.sh's {@code aot_decision}, run by bash against real files: a training run
 * writes one; otherwise a cache is used only on Java 25 or newer and only when no jar of the
 * application (nested folders included) was built after it.
 */
class AotDecisionTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Instant TRAINED = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path app;
    private Path cache;

    @BeforeEach
    void trainedApplication() throws IOException {
        cache = app.resolve("app.aot");
        Files.createDirectories(app.resolve("lib/main"));
        builtAt(app.resolve("quarkus-run.jar"), TRAINED.minusSeconds(60));
        builtAt(app.resolve("lib/main/some-library.jar"), TRAINED.minusSeconds(60));
        builtAt(cache, TRAINED);
    }

    @Test
    void aTrainingRunWritesTheCacheWhateverIsThere() throws Exception {
        assertThat(decide("train", 25)).isEqualTo("write");
        Files.delete(cache);
        assertThat(decide("train", 25)).isEqualTo("write");
    }

    @Test
    void aCacheNewerThanEveryJarIsUsedOnJava25AndLater() throws Exception {
        assertThat(decide("auto", 25)).isEqualTo("use");
        assertThat(decide("auto", 26)).isEqualTo("use");
    }

    @Test
    void onJava17TheCacheIsNotOfferedAndTheOperatorIsToldWhy() throws Exception {
        assertThat(decide("auto", 17)).isEqualTo("none it needs Java 25 or newer; this is Java 17");
    }

    @Test
    void aJarRebuiltAfterTrainingMakesTheCacheStaleEvenDeepInLib() throws Exception {
        builtAt(app.resolve("lib/main/some-library.jar"), TRAINED.plusSeconds(1));
        assertThat(decide("auto", 25)).startsWith("none it was made before the jars it belongs to were built");
    }

    @Test
    void otherFilesNewerThanTheCacheDoNotMatter() throws Exception {
        builtAt(app.resolve("quarkus-application.dat"), TRAINED.plusSeconds(60));
        assertThat(decide("auto", 25)).isEqualTo("use");
    }

    @Test
    void withoutACacheOrWhenTurnedOffNothingIsOffered() throws Exception {
        assertThat(decide("off", 25)).isEqualTo("none");
        Files.delete(cache);
        assertThat(decide("auto", 25)).isEqualTo("none");
    }

    private String decide(String mode, int javaMajor) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "source \"$1\" && aot_decision \"$2\" \"$3\" \"$4\" \"$5\"", "test",
                ROOT.resolve("deploy/local/aot.sh").toString(), mode, String.valueOf(javaMajor), cache.toString(),
                app.toString())
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("bash finished").isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.exitValue()).as(out).isZero();
        return out;
    }

    private static void builtAt(Path file, Instant when) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, file.getFileName().toString());
        }
        Files.setLastModifiedTime(file, FileTime.from(when));
    }
}
