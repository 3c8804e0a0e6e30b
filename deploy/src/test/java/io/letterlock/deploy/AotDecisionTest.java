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
 * When deploy/local/run starts a JVM with the class cache of a training run, as the behaviour table
 * of deploy/local/aot.sh ({@code aot_decision}, and which kind of cache and JVM option each Java
 * gets), run by bash against real files: a training run writes one; otherwise a cache is used only
 * when no jar of the application (nested folders included) was built after it; Java 25 and newer
 * get JDK 25's AOT cache, Java 17 to 24 a CDS archive.
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
    void onJava17ItsCdsArchiveIsUsedTheSameWay() throws Exception {
        assertThat(decide("auto", 17)).isEqualTo("use");
        builtAt(app.resolve("lib/main/some-library.jar"), TRAINED.plusSeconds(1));
        assertThat(decide("auto", 17)).startsWith("none it was made before the jars it belongs to were built");
    }

    @Test
    void eachJavaGetsItsKindOfCacheAndTheOptionsThatWriteAndReadIt() throws Exception {
        assertThat(aot("aot_kind 25")).isEqualTo("aot");
        assertThat(aot("aot_kind 17")).isEqualTo("jsa");
        assertThat(aot("aot_kind 24")).isEqualTo("jsa");
        assertThat(aot("aot_write_option 25 /c/app.aot")).isEqualTo("-XX:AOTCacheOutput=/c/app.aot");
        assertThat(aot("aot_read_option 26 /c/app.aot")).isEqualTo("-XX:AOTCache=/c/app.aot");
        assertThat(aot("aot_write_option 17 /c/app.jsa")).isEqualTo("-XX:ArchiveClassesAtExit=/c/app.jsa");
        assertThat(aot("aot_read_option 21 /c/app.jsa")).isEqualTo("-XX:SharedArchiveFile=/c/app.jsa");
    }

    @Test
    void beforeJava17NothingIsOfferedAndTheOperatorIsToldWhy() throws Exception {
        assertThat(decide("auto", 11)).isEqualTo("none it needs Java 17 or newer; this is Java 11");
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
        return aot("aot_decision " + mode + " " + javaMajor + " " + cache + " " + app);
    }

    /** One call of aot.sh's functions, its words as given (no spaces in the test's paths). */
    private static String aot(String call) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "source \"$1\" && " + call, "test",
                ROOT.resolve("deploy/local/aot.sh").toString())
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
