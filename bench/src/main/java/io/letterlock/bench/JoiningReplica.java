package io.letterlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One more replica of a running service, started the way the running one was (its command line,
 * environment and working directory, read from Linux's /proc) with its own HTTP port: what a
 * Kubernetes scale-out adds to a warm system, a fresh JVM that joins the consumer group and takes
 * its share of the partitions and of the requests.
 */
final class JoiningReplica implements AutoCloseable {

    private final Process process;
    private final int port;

    private JoiningReplica(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a copy of the process {@code like} listening on {@code port}, its output in {@code log}. */
    static JoiningReplica startLike(long like, int port, Path log) throws IOException {
        Path proc = Path.of("/proc", String.valueOf(like));
        List<String> command = nulSeparated(Files.readAllBytes(proc.resolve("cmdline")));
        List<String> environment = nulSeparated(Files.readAllBytes(proc.resolve("environ")));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Files.readSymbolicLink(proc.resolve("cwd")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return new JoiningReplica(builder.start(), port);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        ReadinessPoll.awaitReady(process, "the joining replica", port, System.nanoTime() + timeout.toNanos());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: it finishes what it holds, as a scale-in would let it
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** /proc's lists (cmdline, environ): NUL-terminated entries. */
    private static List<String> nulSeparated(byte[] bytes) {
        return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    }
}
