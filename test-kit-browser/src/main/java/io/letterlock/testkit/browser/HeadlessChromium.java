package io.letterlock.testkit.browser;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}), headless, driven over the Chrome DevTools
 * Protocol with the JDK's own WebSocket client: no WebDriver, no browser download. Each instance
 * has a fresh profile in a temporary folder; {@link #close()} kills the browser's whole process
 * tree and deletes the folder, and a shutdown hook does the same if the test JVM ends first.
 *
 * <pre>{@code
 * try (HeadlessChromium chromium = HeadlessChromium.start()) {
 *     BrowserTab tab = chromium.newTab();
 *     tab.navigate("http://localhost:8083/tls/");
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Where Debian's {@code chromium} package puts it; {@code -Dletterlock.chromium=PATH} overrides. */
    public static final String DEFAULT_BINARY = "/usr/bin/chromium";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path folder;
    private final DevToolsConnection connection;
    private final Thread shutdownHook;

    private HeadlessChromium(Process process, Path folder, DevToolsConnection connection, Thread shutdownHook) {
        this.process = process;
        this.folder = folder;
        this.connection = connection;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts Chromium and connects to it.
     *
     * @throws IllegalStateException when Chromium is not installed (no skipping: the browser tests
     *                               are part of the suite) or does not come up
     */
    public static HeadlessChromium start() {
        Path binary = Path.of(System.getProperty("letterlock.chromium", DEFAULT_BINARY));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Chromium is not installed at " + binary + ": browser tests need Debian's "
                    + "chromium package (apt-get install chromium; .ci/run installs it when missing)");
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("letterlock-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path profile = folder.resolve("profile");
        Path log = folder.resolve("chromium.log");
        List<String> command = List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                // Without these Chromium keeps trying to reach Google's hosts, which this network refuses.
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--no-default-browser-check", "--disable-dev-shm-usage",
                "--window-size=1280,1024",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteFolder(folder);
            throw new IllegalStateException("cannot start " + binary, e);
        }
        Thread hook = new Thread(() -> killTree(process), "kill headless chromium");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            URI endpoint = devToolsEndpoint(process, profile.resolve("DevToolsActivePort"), log);
            return new HeadlessChromium(process, folder, new DevToolsConnection(endpoint), hook);
        } catch (RuntimeException e) {
            killTree(process);
            removeHook(hook);
            deleteFolder(folder);
            throw e;
        }
    }

    /** Opens a new tab on {@code about:blank}. */
    public BrowserTab newTab() {
        ObjectNode create = connection.params().put("url", "about:blank");
        String targetId = connection.command(null, "Target.createTarget", create).path("targetId").asText();
        ObjectNode attach = connection.params().put("targetId", targetId).put("flatten", true);
        String sessionId = connection.command(null, "Target.attachToTarget", attach).path("sessionId").asText();
        return new BrowserTab(connection, sessionId, targetId);
    }

    /** Chromium's main process and its helpers (renderers, GPU, zygote), while it runs. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            killTree(process);
            removeHook(shutdownHook);
            deleteFolder(folder);
        }
    }

    private static URI devToolsEndpoint(Process process, Path activePortFile, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " before DevTools "
                        + "was ready; its output:\n" + tail(log));
            }
            try {
                // Chromium writes "port\n/devtools/browser/<id>\n" once DevTools listens.
                List<String> lines = Files.exists(activePortFile)
                        ? Files.readAllLines(activePortFile, StandardCharsets.UTF_8) : List.of();
                if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
                }
                Thread.sleep(50); // polling a file the browser writes once; nothing to wait on instead
            } catch (IOException e) {
                // written but not complete yet; read again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Chromium", e);
            }
        }
        throw new IllegalStateException("Chromium's DevTools did not come up within " + START_TIMEOUT
                + "; its output:\n" + tail(log));
    }

    /** Kills the browser and every process it started, so no renderer outlives a test. */
    private static void killTree(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller's own checks (processes()) if it ever matters
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private static void deleteFolder(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a test for
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
