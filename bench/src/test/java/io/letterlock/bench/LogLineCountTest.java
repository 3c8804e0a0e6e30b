package io.letterlock.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineCountTest {

    @TempDir
    Path dir;

    @Test
    void countsOnlyLinesAppendedAfterItWasMadeThatCarryTheMarker() throws IOException {
        Path log = dir.resolve("maillog");
        append(log, "a: discard: DATA from x\n"); // an earlier round's, already there
        LogLineCount count = new LogLineCount(log, ": discard: DATA from ");

        append(log, "b: client=localhost\nc: discard: DATA from y\nd: discard: DATA from z\n");

        assertThat(count.count()).isEqualTo(2);
    }

    @Test
    void aLineCutAtTheEndCountsOnceItIsComplete() throws IOException {
        Path log = dir.resolve("maillog");
        LogLineCount count = new LogLineCount(log, " status=sent ");
        assertThat(count.count()).as("no log yet").isZero();

        append(log, "1: to=<a>, status=sent (250 ok)\n2: to=<b>, status=se");
        assertThat(count.count()).isEqualTo(1);

        append(log, "nt (250 ok)\n3: to=<c>, status=deferred\n");
        assertThat(count.count()).isEqualTo(2);
        assertThat(count.count()).as("nothing new").isEqualTo(2);
    }

    @Test
    void readsABacklogLargerThanOneChunk() throws IOException {
        Path log = dir.resolve("maillog");
        LogLineCount count = new LogLineCount(log, " status=sent ");
        String line = "x".repeat(200) + " status=sent (250 ok)\n";
        int lines = (5 << 20) / line.length(); // more than the 4 MiB read at once
        append(log, line.repeat(lines));

        assertThat(count.count()).isEqualTo(lines);
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
