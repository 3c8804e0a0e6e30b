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

    /**
     * CPU seconds the whole machine was busy since boot, all cores and processes together (the
     * first line of /proc/stat); NaN where there is none. The difference of two readings minus
     * what the benchmark's own processes used says whether something else ran meanwhile.
     */
    static double machineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(fields[i]);
            }
            return busy / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
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
