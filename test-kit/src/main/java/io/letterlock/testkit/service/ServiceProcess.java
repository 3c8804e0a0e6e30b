package io.letterlock.testkit.service;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A packaged Letterlock service ({@code target/quarkus-app/quarkus-run.jar}) running as its own
 * JVM, as operators run it. Tests use it where one JVM cannot do: restarting a service on the same
 * topics, or two replicas side by side.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final Map<String, String> config;
    private int port;
    private final Path log;
    private Process process;

    /**
     * @param jar    the {@code quarkus-run.jar} to start
     * @param config MicroProfile Config properties, passed as system properties
     */
    public ServiceProcess(String name, Path jar, Map<String, String> config) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: package the service first (mvn package)");
        }
        this.name = name;
        this.jar = jar;
        this.config = Map.copyOf(config);
        this.port = freePort();
        this.log = jar.getParent().getParent().resolve(name + ".log");
    }

    /**
     * Starts the JVM and returns once {@code /q/health/ready} answers 200. Nothing connects before the
     * service's own "Listening on" line, and a service that finds its port taken is started again on
     * another ({@link StartupLog} says why).
     */
    public ServiceProcess start() {
        for (int attempt = 1; !launch(); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException(name + " found its port taken three times; see " + log);
            }
            port = freePort();
        }
        await(name + " ready on port " + port + " (log: " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                    }
                    return status("/q/health/ready") == 200;
                });
        return this;
    }

    /**
     * Starts the JVM for a test that expects it to refuse to start (a setting or file it cannot
     * use) and returns what it logged once it exited.
     *
     * @throws AssertionError when it became ready instead (it is stopped first)
     */
    public String startExpectingExit() throws IOException {
        try {
            start();
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains(" exited with ")) {
                process = null;
                return Files.readString(log);
            }
            throw e;
        }
        stop();
        throw new AssertionError(name + " started and became ready; it was expected to stop at start (log: " + log + ")");
    }

    /** Starts the JVM and waits until it listens; false when it exited because its port was taken. */
    private boolean launch() {
        List<String> command = new ArrayList<>();
        // A benchmark may run the service on another JDK or with a profiler: service.java-home
        // and service.jvm-args (space-separated) as system properties of the calling JVM.
        String javaHome = System.getProperty("service.java-home", System.getProperty("java.home"));
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.add("-Xmx256m");
        for (String arg : System.getProperty("service.jvm-args", "").split(" ")) {
            if (!arg.isBlank()) {
                command.add(arg);
            }
        }
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        long logStart = StartupLog.size(log);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
        // A test or benchmark JVM stopped before it stopped the service (Ctrl-C, a fork timeout,
        // pkill) must not leave it running: a webhook benchmark's events-service, left behind,
        // held the default Kafka Streams folder and every later events-service test failed on it.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, name + "-stop"));
        return switch (StartupLog.awaitListening(name, log, logStart, process::isAlive, Duration.ofSeconds(60))) {
            case LISTENING -> true;
            case PORT_TAKEN -> {
                process = null;
                yield false;
            }
            case EXITED -> throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        };
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Where the service's output goes (appended to across restarts of the same name). */
    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    /** The operating system's id of the running JVM, e.g. to read its CPU time from /proc. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    /** Stops the JVM as an operator would (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the JVM at once (SIGKILL), as a crash or an OOM kill would: no shutdown runs. */
    public void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private int status(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
