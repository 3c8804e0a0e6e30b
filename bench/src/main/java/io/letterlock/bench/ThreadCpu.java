package io.letterlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU seconds of a process's threads, grouped by name with digits blurred (all Netty event loops
 * are one group), read from Linux's /proc. The difference of two snapshots says where a measured
 * phase spent its CPU, JIT compiler threads included.
 */
final class ThreadCpu {

    private final Map<String, Double> secondsByGroup;

    private ThreadCpu(Map<String, Double> secondsByGroup) {
        this.secondsByGroup = secondsByGroup;
    }

    static ThreadCpu of(long pid) {
        Map<String, Double> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    groups.merge(name, ProcessStats.cpuSecondsOf(stat), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            // No /proc (not Linux): nothing to say.
        }
        return new ThreadCpu(groups);
    }

    /** CPU seconds of the threads whose name starts with {@code prefix}. */
    double secondsOf(String prefix) {
        return secondsByGroup.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The groups that used the most CPU since {@code before}, e.g. "nioEventLoopGroup-N-N 6.1 s". */
    String topSince(ThreadCpu before, int limit) {
        return secondsByGroup.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.secondsByGroup.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
