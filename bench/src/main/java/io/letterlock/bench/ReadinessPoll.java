package io.letterlock.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a service a benchmark started to answer {@code /q/health/ready}, failing when its process dies. */
final class ReadinessPoll {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private ReadinessPoll() {
    }

    /**
     * @param process      the process that runs the service (or starts it), whose death ends the wait
     * @param what         names it in failures, e.g. "deploy/local/run"
     * @param deadlineNanos {@link System#nanoTime()} by which it must be ready
     */
    static void awaitReady(Process process, String what, int port, long deadlineNanos) throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue());
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(what + ": port " + port + " was not ready in time");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200); // polling a process that is starting, not test synchronisation
        }
    }
}
