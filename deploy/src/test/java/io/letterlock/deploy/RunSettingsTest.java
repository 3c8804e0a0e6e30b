package io.letterlock.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/local/run refuses a setting it does not know before it starts anything, and says which
 * values it takes: a misspelt LETTERLOCK_JIT must not quietly give the JVMs another compiler than
 * the operator asked for. (That the default reaches every JVM is deploy/local/smoke-test's check.)
 */
class RunSettingsTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path data;

    @Test
    void anUnknownJitIsRefusedWithTheValuesItTakes() throws Exception {
        Result run = run(Map.of("LETTERLOCK_JIT", "fast"));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("LETTERLOCK_JIT must be auto, quick or peak, not 'fast'");
    }

    @Test
    void anUnknownAotModeIsRefusedToo() throws Exception {
        Result run = run(Map.of("LETTERLOCK_AOT", "sometimes"));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("LETTERLOCK_AOT must be auto or off, not 'sometimes'");
    }

    @Test
    void theHelpNamesEveryJitAndTheDefault() throws Exception {
        Process help = new ProcessBuilder(ROOT.resolve("deploy/local/run").toString(), "--help")
                .redirectErrorStream(true).start();
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).as("run --help finished").isTrue();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.exitValue()).isZero();
        assertThat(text).contains("LETTERLOCK_JIT", "quick:", "peak:", "auto:", "(default auto)");
    }

    private Result run(Map<String, String> settings) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("deploy/local/run").toString())
                .redirectErrorStream(true);
        builder.environment().put("LETTERLOCK_LOCAL_DATA", data.toString());
        builder.environment().putAll(settings);
        Process run = builder.start();
        boolean finished = run.waitFor(30, TimeUnit.SECONDS);
        if (!finished) {
            run.destroyForcibly();
        }
        assertThat(finished).as("run stopped at the setting instead of starting").isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Nothing was started or written: the data folder is as the test made it.
        try (var files = Files.list(data)) {
            assertThat(files).as("files in the data folder").isEmpty();
        }
        return new Result(run.exitValue(), output);
    }

    private record Result(int status, String output) {
    }
}
