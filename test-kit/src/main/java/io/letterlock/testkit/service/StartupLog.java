package io.letterlock.testkit.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * What a starting Quarkus service's own log says about its HTTP port. A test picks a free port
 * before it starts a service JVM (events-service advertises the port to its replicas, so it cannot be
 * 0); until the service logs "Listening on", that port may be anyone's. In a parallel build another
 * test JVM's SMTP server once got it and recorded the readiness poll's GET as a client. So whoever
 * starts a service connects only after this says {@link Outcome#LISTENING}, and starts it again on
 * another port on {@link Outcome#PORT_TAKEN}.
 */
public final class StartupLog {

    public enum Outcome {
        /** The service logged "Listening on": the port is its own. */
        LISTENING,
        /** The service exited because something else had bound its port first. */
        PORT_TAKEN,
        /** The service exited for another reason; its log says why. */
        EXITED
    }

    private StartupLog() {
    }

    /**
     * Waits until the service's log, from {@code offset} on, says it listens, or the process has ended
     * (its output redirected to {@code log} by the operating system), and tells which.
     */
    public static Outcome awaitListening(String name, Path log, long offset, BooleanSupplier alive, Duration atMost) {
        String started = await(name + " listening (log: " + log + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> since(log, offset), text -> text.contains("Listening on: ") || !alive.getAsBoolean());
        if (started.contains("Listening on: ")) {
            return Outcome.LISTENING;
        }
        // The process has ended, and its output went straight to the file: the log is complete.
        String exited = since(log, offset);
        return saysPortTaken(exited) ? Outcome.PORT_TAKEN : Outcome.EXITED;
    }

    private static boolean saysPortTaken(String text) {
        return text.contains("Address already in use") || text.contains("seems to be in use");
    }

    /** The log's size now: what {@link #awaitListening} should read from for a start that follows. */
    public static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the service has logged since {@code offset}. */
    static String since(Path log, long offset) {
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            channel.position(offset);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
