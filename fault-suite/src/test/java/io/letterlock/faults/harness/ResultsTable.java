package io.letterlock.faults.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's one table: each scenario's counts, time and result, printed when the run ends and
 * kept in {@code fault-suite/target/fault-suite-results.md} (rewritten after every scenario, so a
 * run cut short still leaves the rows it had).
 */
public final class ResultsTable {

    public static final Path FILE = Repo.TARGET.resolve("fault-suite-results.md");

    /** One scenario's line; {@code counts} null when it failed before counting. */
    public record Row(String scenario, Counts counts, Duration time, String result, List<String> notes) {
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private ResultsTable() {
    }

    public static synchronized void add(Row row) {
        ROWS.add(row);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("fault-suite: cannot write " + FILE + ": " + e);
        }
    }

    public static synchronized boolean isEmpty() {
        return ROWS.isEmpty();
    }

    public static synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | sent | received | duplicates | lost | final events | jobs without exactly one final event | time | result |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : ROWS) {
            Counts c = row.counts();
            out.append("| ").append(row.scenario()).append(" | ");
            if (c == null) {
                out.append("– | – | – | – | – | – | ");
            } else {
                out.append(c.sent()).append(" | ").append(c.received()).append(" | ").append(c.duplicates())
                        .append(" | ").append(c.lost()).append(" | ").append(c.finalEvents()).append(" | ")
                        .append(c.notExactlyOneFinal()).append(" | ");
            }
            out.append(row.time().toSeconds()).append(" s | ").append(row.result()).append(" |\n");
        }
        out.append('\n');
        for (Row row : ROWS) {
            if (!row.notes().isEmpty()) {
                out.append("- ").append(row.scenario()).append(": ").append(String.join("; ", row.notes())).append('\n');
            }
        }
        return out.toString();
    }
}
