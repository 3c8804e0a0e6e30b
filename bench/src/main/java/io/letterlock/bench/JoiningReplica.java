package io.letterlock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One more replica of a running service, started either the way the running one was (its command
 * line, environment and working directory, read from Linux's /proc) or as a container of the
 * service's image given the running one's settings, with its own HTTP port: what a Kubernetes
 * scale-out adds to a warm system, a fresh JVM that joins the consumer group and takes its share of
 * the partitions and of the requests.
 */
final class JoiningReplica implements AutoCloseable {

    /** The settings a service reads from its environment; the rest of the running one's is the host's. */
    private static final List<String> SETTING_PREFIXES = List.of("LETTERLOCK_", "KAFKA_", "QUARKUS_");
    /** How long a stopping container may take: a JVM in a training run writes its AOT cache then. */
    private static final Duration CONTAINER_STOP = Duration.ofMinutes(10);

    private final Process process;
    private final int port;
    /** The container's name, null for a host process. */
    private final String container;
    private final String runtime;
    private long pid;

    private JoiningReplica(Process process, int port, String runtime, String container) {
        this.process = process;
        this.port = port;
        this.runtime = runtime;
        this.container = container;
        this.pid = container == null ? process.pid() : -1;
    }

    /**
     * Starts a copy of the process {@code like} listening on {@code port}, its output in {@code log}.
     * A folder a setting names (events-service's Kafka Streams state) is the running replica's own:
     * the copy gets an empty one of its own beside {@code log} instead, as a new pod would.
     */
    static JoiningReplica startLike(long like, int port, Path log) throws IOException {
        Path proc = Path.of("/proc", String.valueOf(like));
        ProcessBuilder builder = new ProcessBuilder(nulSeparated(Files.readAllBytes(proc.resolve("cmdline"))))
                .directory(Files.readSymbolicLink(proc.resolve("cwd")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environmentOf(like));
        for (Map.Entry<String, String> setting : env.entrySet()) {
            if (namesFolder(setting)) {
                setting.setValue(Files.createTempDirectory(log.getParent(), "replica-folder").toString());
            }
        }
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return new JoiningReplica(builder.start(), port, null, null);
    }

    /**
     * Starts a container of {@code image} (the service's own, e.g. Dockerfile.jvm25's) with the
     * settings of the running process {@code like}: its LETTERLOCK_, KAFKA_ and QUARKUS_ variables but
     * those that name a folder, the files they name copied beside {@code log} and mounted read-only, on
     * the host's network (the broker and the SMTP servers listen on loopback), in a pod's memory (1 GiB,
     * k8s/base). {@code jvmOptions} replace the image's JDK_JAVA_OPTIONS when not null, and
     * {@code writable} is mounted read-write at the same path (a training run's output).
     *
     * @param runtime the container command, {@code podman} or {@code docker}
     */
    static JoiningReplica startImage(String runtime, String image, long like, int port, Path log, String jvmOptions,
                                     Path writable) throws IOException {
        String name = "letterlock-bench-replica-" + port;
        List<String> command = new ArrayList<>(List.of(runtime, "run", "--rm", "--name", name, "--network", "host",
                "--memory", "1g"));
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> setting : environmentOf(like).entrySet()) {
            // A folder a setting names (events-service's Kafka Streams state) is the running replica's
            // own, and the container cannot see it: the replica keeps its own, where the image's defaults say.
            if (SETTING_PREFIXES.stream().anyMatch(setting.getKey()::startsWith) && !namesFolder(setting)) {
                env.put(setting.getKey(), setting.getValue());
            }
        }
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (jvmOptions != null) {
            env.put("JDK_JAVA_OPTIONS", jvmOptions);
        }
        // The files the settings name, copied where the image's user (not the host's) may read them:
        // the host's may be private to its owner, as the benchmark's API keys file is.
        Path files = Files.createTempDirectory(log.getParent(), "replica-files");
        Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
        int copied = 0;
        for (Map.Entry<String, String> setting : env.entrySet()) {
            String value = setting.getValue();
            if (value.startsWith("/") && Files.isRegularFile(Path.of(value))) {
                String inContainer = "/config/" + (++copied) + "-" + Path.of(value).getFileName();
                Path copy = files.resolve(Path.of(inContainer).getFileName());
                Files.copy(Path.of(value), copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                command.add("-v");
                command.add(copy + ":" + inContainer + ":ro");
                setting.setValue(inContainer);
            }
        }
        env.forEach((key, value) -> {
            command.add("-e");
            command.add(key + "=" + value);
        });
        if (writable != null) {
            command.add("-v");
            command.add(writable + ":" + writable);
        }
        command.add(image);
        // One left by a benchmark that was killed holds the name (and the port): gone first. And this
        // one goes if the benchmark is stopped before it closes the replica.
        removeContainer(runtime, name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeContainer(runtime, name), name + "-remove"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JoiningReplica(process, port, runtime, name);
    }

    /** A setting (not the host's PATH, HOME, …) whose value is a folder that exists: the running replica's own. */
    private static boolean namesFolder(Map.Entry<String, String> setting) {
        return SETTING_PREFIXES.stream().anyMatch(setting.getKey()::startsWith) && setting.getValue().startsWith("/")
                && Files.isDirectory(Path.of(setting.getValue()));
    }

    /** {@code <runtime> rm -f <name>}: stops and removes a container of that name, if there is one. */
    private static void removeContainer(String runtime, String name) {
        try {
            new ProcessBuilder(runtime, "rm", "-f", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + runtime, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The replica's JVM, on the host's process table (for its CPU time), once it is ready. */
    long pid() {
        return pid;
    }

    int port() {
        return port;
    }

    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        ReadinessPoll.awaitReady(process, "the joining replica", port, System.nanoTime() + timeout.toNanos());
        if (container != null) {
            // The container's first process is the JVM: its entrypoint's shell execs java.
            Process inspect = new ProcessBuilder(runtime, "inspect", "--format", "{{.State.Pid}}", container)
                    .redirectErrorStream(true).start();
            String out = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (inspect.waitFor() != 0 || !out.matches("\\d+")) {
                throw new IllegalStateException(runtime + " inspect " + container + ": " + out);
            }
            pid = Long.parseLong(out);
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (container != null) {
            // SIGTERM through the runtime, which waits as long as the JVM takes (writing a cache), then
            // kills it; the run command ends with the container.
            new ProcessBuilder(runtime, "stop", "--time", String.valueOf(CONTAINER_STOP.toSeconds()), container)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(CONTAINER_STOP.toSeconds() + 60, TimeUnit.SECONDS);
        } else {
            process.destroy(); // SIGTERM: it finishes what it holds, as a scale-in would let it
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static Map<String, String> environmentOf(long pid) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : nulSeparated(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")))) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }

    /** /proc's lists (cmdline, environ): NUL-terminated entries. */
    private static List<String> nulSeparated(byte[] bytes) {
        return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    }
}
