package io.letterlock.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One operating-system process the suite started (a broker or a service JVM), its output in a log
 * file under {@code target/}. The faults are the operator's signals: {@link #terminate()} sends
 * SIGTERM, {@link #kill()} SIGKILL. Every process started is remembered until it is gone, so
 * {@link #killAll()} (teardown, and a shutdown hook) can leave nothing running whatever failed.
 */
public final class ChildProcess {

    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killAll, "fault-suite-kill-children"));
    }

    private final String name;
    private final List<String> command;
    private final Path directory;
    private final Path log;
    private Process process;

    public ChildProcess(String name, List<String> command, Path directory, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.directory = directory;
        this.log = log;
    }

    public ChildProcess start() {
        try {
            Files.createDirectories(directory);
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
        RUNNING.add(this);
        return this;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, as an operator's stop or a Kubernetes rollout sends it; does not wait. */
    public void terminate() {
        if (isAlive()) {
            process.destroy();
        }
    }

    /** Waits for the process to end; true if it did within {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                RUNNING.remove(this);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    public void stop(Duration grace) {
        if (process == null) {
            return;
        }
        terminate();
        if (!awaitExit(grace)) {
            kill();
        }
    }

    /**
     * SIGKILL, as a crash or the OOM killer ends a process: no shutdown hook runs, its sockets are
     * closed by the kernel. Its descendants first, so none is left orphaned. Returns once it is gone.
     */
    public void kill() {
        if (process == null) {
            return;
        }
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
        if (!awaitExit(Duration.ofSeconds(30))) {
            throw new IllegalStateException(name + " (pid " + handle.pid() + ") survived SIGKILL for 30 s");
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        return tail(log, lines);
    }

    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
        return String.join(System.lineSeparator(), last);
    }

    /** Kills every process this JVM started that is still running. */
    public static void killAll() {
        for (ChildProcess child : List.copyOf(RUNNING)) {
            try {
                child.kill();
            } catch (RuntimeException e) {
                System.err.println("fault-suite: could not kill " + child.name + ": " + e);
            }
            RUNNING.remove(child);
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ")");
    }
}
