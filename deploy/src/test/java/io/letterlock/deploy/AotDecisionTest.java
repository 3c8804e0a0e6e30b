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
 * when no jar of the application (nested folders included) was built after it, whichever its kind;
 * Java 25 and newer get JDK 25's AOT cache, Java 17 to 24 a CDS archive; and which compiler each
 * JVM gets ({@code jit_choice}), as LETTERLOCK_JIT=auto follows the cache.
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
        assertThat(decide("train")).isEqualTo("write");
        Files.delete(cache);
        assertThat(decide("train")).isEqualTo("write");
    }

    @Test
    void aCacheNewerThanEveryJarIsUsed() throws Exception {
        assertThat(decide("auto")).isEqualTo("use");
    }

    @Test
    void eachJavaGetsItsKindOfCacheAndTheOptionsThatWriteAndReadIt() throws Exception {
        assertThat(aot("aot_kind 25")).isEqualTo("aot");
        assertThat(aot("aot_kind 26")).isEqualTo("aot");
        assertThat(aot("aot_kind 24")).isEqualTo("jsa");
        assertThat(aot("aot_kind 17")).isEqualTo("jsa");
        assertThat(aot("aot_option aot write /c/app.aot")).isEqualTo("-XX:AOTCacheOutput=/c/app.aot");
        assertThat(aot("aot_option aot read /c/app.aot")).isEqualTo("-XX:AOTCache=/c/app.aot");
        assertThat(aot("aot_option jsa write /c/app.jsa")).isEqualTo("-XX:ArchiveClassesAtExit=/c/app.jsa");
        assertThat(aot("aot_option jsa read /c/app.jsa")).isEqualTo("-XX:SharedArchiveFile=/c/app.jsa");
        assertThat(aot("aot_label aot")).isEqualTo("AOT cache");
        assertThat(aot("aot_label jsa")).isEqualTo("class-data archive");
    }

    @Test
    void anUnknownKindGetsNoOptionRatherThanAWrongOne() throws Exception {
        assertThat(aot("aot_option jsa load /c/app.jsa || echo refused")).endsWith("refused");
    }

    @Test
    void aJarRebuiltAfterTrainingMakesTheCacheStaleEvenDeepInLib() throws Exception {
        builtAt(app.resolve("lib/main/some-library.jar"), TRAINED.plusSeconds(1));
        assertThat(decide("auto")).startsWith("none it was made before the jars it belongs to were built");
    }

    @Test
    void otherFilesNewerThanTheCacheDoNotMatter() throws Exception {
        builtAt(app.resolve("quarkus-application.dat"), TRAINED.plusSeconds(60));
        assertThat(decide("auto")).isEqualTo("use");
    }

    @Test
    void withoutACacheOrWhenTurnedOffNothingIsOffered() throws Exception {
        assertThat(decide("off")).isEqualTo("none");
        Files.delete(cache);
        assertThat(decide("auto")).isEqualTo("none");
    }

    @Test
    void autoCompilesWithC2WhereAnAotCacheBringsProfilesAndWithC1AloneElsewhere() throws Exception {
        assertThat(aot("jit_choice auto aot use")).isEqualTo("peak");
        assertThat(aot("jit_choice auto aot write")).as("a training run collects the profiles").isEqualTo("peak");
        assertThat(aot("jit_choice auto aot none")).as("no cache").isEqualTo("quick");
        assertThat(aot("jit_choice auto aot 'none it was made before the jars'")).as("a stale cache").isEqualTo("quick");
        assertThat(aot("jit_choice auto jsa use")).as("a CDS archive holds no profiles").isEqualTo("quick");
        assertThat(aot("jit_choice auto jsa write")).isEqualTo("quick");
        for (String decision : new String[]{"use", "write", "none"}) {
            assertThat(aot("jit_choice quick aot " + decision)).as("asked for").isEqualTo("quick");
            assertThat(aot("jit_choice peak jsa " + decision)).as("asked for").isEqualTo("peak");
        }
        assertThat(aot("jit_options quick")).isEqualTo("-XX:TieredStopAtLevel=1");
        assertThat(aot("jit_options peak")).isEmpty();
        assertThat(aot("jit_choice fast aot use || echo refused")).endsWith("refused");
    }

    private String decide(String mode) throws IOException, InterruptedException {
        return aot("aot_decision " + mode + " " + cache + " " + app);
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
