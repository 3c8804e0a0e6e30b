package io.letterlock.faults.harness;

import io.letterlock.testkit.service.StartupLog;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One packaged Letterlock service replica ({@code quarkus-run.jar}) as its own JVM, configured with
 * MicroProfile Config system properties, on a free HTTP port. Like test-kit's {@code ServiceProcess},
 * but its signals do not wait (a fault lands mid-run while the test goes on), it can be started
 * again as a new process of the same replica, and its logs stay under this module's {@code target/}.
 */
public final class ServiceNode {

    /** Extra JVM options for every service, e.g. a profiler: {@code -Dfault-suite.service-jvm-args=...}. */
    private static final String EXTRA_JVM_ARGS = System.getProperty("fault-suite.service-jvm-args", "");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> config;
    private final Path directory;
    private final List<Path> logs = new ArrayList<>();
    private int port;
    private ChildProcess process;

    public ServiceNode(String name, Path jar, Map<String, String> config, Path directory) {
        this.name = name;
        this.jar = jar;
        this.config = new LinkedHashMap<>(config);
        this.directory = directory;
    }

    public String name() {
        return name;
    }

    /** Starts a new JVM of this replica on a new free port; does not wait for it (see {@link #awaitReady}). */
    public ServiceNode start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        port = Ports.free();
        List<String> command = new ArrayList<>();
        command.add(Repo.java());
        // Small heaps and C1 only: five or six JVMs share two cores, and a run lasts seconds, not
        // days, so the C2 compiler's work would never pay back.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String arg : EXTRA_JVM_ARGS.split(" ")) {
            if (!arg.isBlank()) {
                command.add(arg);
            }
        }
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Path log = directory.resolve(name + "-" + (logs.size() + 1) + ".log");
        logs.add(log);
        // Quarkus reads ./.env and ./config/ from its working directory: a folder of its own.
        process = new ChildProcess(name, command, directory.resolve(name), log).start();
        return this;
    }

    /**
     * Waits until {@code /q/health/ready} answers 200; fails at once if the JVM exited. Nothing polls
     * before the service's own "Listening on" line: two scenarios run at once, and until then the
     * port picked free may be the other scenario's SMTP or webhook server. A replica that finds its
     * port taken is started again on another (at most three times).
     */
    public ServiceNode awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            StartupLog.Outcome outcome;
            try {
                outcome = StartupLog.awaitListening(name, process.log(), 0, process::isAlive, left);
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException(name + " not listening within " + timeout + ":\n" + process.tail(60), e);
            }
            if (outcome == StartupLog.Outcome.LISTENING) {
                break;
            }
            if (outcome == StartupLog.Outcome.EXITED || attempt == 3) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + process.tail(60));
            }
            start();
        }
        while (readiness() != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + process.tail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + process.tail(60));
            }
            KafkaBroker.sleep(150);
        }
        return this;
    }

    /** Starts them all at once, then waits for each: the JVMs warm up in parallel. */
    public static void startAll(Duration timeout, ServiceNode... nodes) {
        for (ServiceNode node : nodes) {
            node.start();
        }
        for (ServiceNode node : nodes) {
            node.awaitReady(timeout);
        }
    }

    /** The HTTP status of {@code GET /q/health/ready}, -1 when nothing answers. */
    public int readiness() {
        return health("ready");
    }

    /**
     * The HTTP status of {@code GET /q/health/live}: not 200 means the service asks to be restarted
     * (a worker thread died, say), which is what the broker scenario must not need.
     */
    public int liveness() {
        return health("live");
    }

    private int health(String check) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/" + check))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM without waiting: the replica drains and leaves while the run goes on. */
    public void terminate() {
        process.terminate();
    }

    public boolean awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /** SIGKILL; returns once the process is gone. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public List<Path> logs() {
        return List.copyOf(logs);
    }

    @Override
    public String toString() {
        return process == null ? name : process.toString();
    }
}
