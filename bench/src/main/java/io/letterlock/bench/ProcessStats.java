package io.letterlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak resident memory of a process, read from Linux's /proc. */
record ProcessStats(double cpuSeconds, long peakRssKib) {

    /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    /** User plus system CPU of a /proc/PID/stat or /proc/PID/task/TID/stat text. */
    static double cpuSecondsOf(String stat) {
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
    }

    static ProcessStats of(long pid) {
        try {
            double cpu = cpuSecondsOf(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
            long hwm = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1);
            return new ProcessStats(cpu, hwm);
        } catch (IOException | RuntimeException e) {
            return new ProcessStats(Double.NaN, -1);
        }
    }
}
