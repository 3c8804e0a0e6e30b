package io.letterlock.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running count of the lines appended to a log since this count was made that contain a marker,
 * such as Postfix's {@code status=sent}. Each call reads only what was appended since the last one;
 * a line cut at the end waits for its rest.
 */
final class LogLineCount {

    /** At most this much is held in memory at once, however far behind the count is. */
    private static final int CHUNK = 4 << 20;

    private final Path log;
    private final String marker;
    private long read;
    private long count;

    /** Counts from the log's end as it is now (from its start if it does not exist yet). */
    LogLineCount(Path log, String marker) throws IOException {
        this.log = log;
        this.marker = marker;
        this.read = Files.exists(log) ? Files.size(log) : 0;
    }

    synchronized long count() throws IOException {
        if (!Files.exists(log)) {
            return count;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            while (read < length) {
                file.seek(read);
                byte[] appended = new byte[(int) Math.min(CHUNK, length - read)];
                file.readFully(appended);
                int lineStart = 0;
                for (int i = 0; i < appended.length; i++) {
                    if (appended[i] == '\n') {
                        if (new String(appended, lineStart, i - lineStart, StandardCharsets.US_ASCII).contains(marker)) {
                            count++;
                        }
                        lineStart = i + 1;
                    }
                }
                if (lineStart == 0) {
                    break; // a line longer than a chunk, or one not yet ended: wait for more
                }
                read += lineStart;
            }
        }
        return count;
    }
}
