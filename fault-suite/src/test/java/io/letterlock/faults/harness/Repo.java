package io.letterlock.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the things the suite runs come from, as deploy/local/run finds them: the services'
 * {@code target/quarkus-app/quarkus-run.jar} (the reactor packages them before this module) and the
 * Kafka broker's jars, fetched with {@code deploy/local/kafka/pom.xml} into
 * {@code deploy/local/kafka/target/lib} (shared with deploy/local/run, refetched when the pom changed).
 */
public final class Repo {

    public static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    /** Everything a run writes: logs, broker data, the results table. */
    public static final Path TARGET = ROOT.resolve("fault-suite/target");

    private static final Path KAFKA_POM = ROOT.resolve("deploy/local/kafka/pom.xml");
    private static final Path KAFKA_LIB = ROOT.resolve("deploy/local/kafka/target/lib");

    private Repo() {
    }

    public static Path serviceJar(String service) {
        Path jar = ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with the reactor, e.g. mvn -B verify -pl fault-suite -am");
        }
        return jar;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The broker's classpath ({@code lib/*}), fetching the jars first when missing or stale. */
    public static synchronized String kafkaClasspath() {
        Path stamp = KAFKA_LIB.resolve(".copied");
        try {
            if (!Files.isRegularFile(stamp)
                    || Files.getLastModifiedTime(KAFKA_POM).compareTo(Files.getLastModifiedTime(stamp)) > 0) {
                fetchKafkaJars(stamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KAFKA_LIB + "/*";
    }

    /** The same command deploy/local/run uses, with this build's Maven and local repository. */
    private static void fetchKafkaJars(Path stamp) throws IOException {
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome != null && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))
                ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", KAFKA_POM.toString(),
                "dependency:copy-dependencies", "-DoutputDirectory=" + KAFKA_LIB));
        String repoLocal = System.getProperty("maven.repo.local");
        if (repoLocal != null && !repoLocal.isBlank()) {
            command.add("-Dmaven.repo.local=" + repoLocal);
        }
        Path log = TARGET.resolve("kafka-jars-fetch.log");
        Files.createDirectories(log.getParent());
        deleteRecursively(KAFKA_LIB);
        Process fetch = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!fetch.waitFor(10, TimeUnit.MINUTES) || fetch.exitValue() != 0) {
                fetch.destroyForcibly();
                throw new IllegalStateException("could not fetch the Kafka broker's jars: " + command + "\n"
                        + ChildProcess.tail(log, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Files.createDirectories(KAFKA_LIB);
        Files.write(stamp, new byte[0]);
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis()));
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
