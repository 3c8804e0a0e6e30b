package io.letterlock.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's first command, end to end: deploy/local/smoke-test starts deploy/local/run (a Kafka
 * broker process and the three packaged services, on ports of its own), calls the Enforced TLS API
 * with the demo key, stops it with SIGINT as Ctrl-C would, and fails if anything is left running.
 */
class LocalRunIT {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void runCommandStartsKafkaAndServicesAnswersTheApiAndStopsCleanly() throws IOException, InterruptedException {
        Path log = ROOT.resolve("deploy/target/local-run-smoke-test.log");
        Files.createDirectories(log.getParent());
        Process smoke = new ProcessBuilder(ROOT.resolve("deploy/local/smoke-test").toString(), "--fresh")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // The smoke test bounds each of its own waits; this bound only guards against a hang.
        boolean finished = smoke.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            smoke.destroy();
            smoke.waitFor(100, TimeUnit.SECONDS);
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(finished).as("smoke test finished in time").isTrue();
        assertThat(smoke.exitValue()).as("smoke test exit status; its output:%n%s", text).isZero();
    }
}
