package io.letterlock.faults.harness;

import io.letterlock.testkit.files.Folders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            if (!isFresh(stamp)) {
                fetchKafkaJars(stamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KAFKA_LIB + "/*";
    }

    /**
     * The same command deploy/local/run uses, with this build's Maven and local repository, into a
     * folder of its own that one rename puts in place: deploy/local/run (the deploy checks' smoke test,
     * built beside this module) may be fetching at the same moment, and neither may delete or read the
     * other's half-copied folder.
     */
    private static void fetchKafkaJars(Path stamp) throws IOException {
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome != null && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))
                ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        Files.createDirectories(KAFKA_LIB.getParent());
        Path fetched = Files.createTempDirectory(KAFKA_LIB.getParent(), KAFKA_LIB.getFileName() + ".fetch.");
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", KAFKA_POM.toString(),
                "dependency:copy-dependencies", "-DoutputDirectory=" + fetched));
        String repoLocal = System.getProperty("maven.repo.local");
        if (repoLocal != null && !repoLocal.isBlank()) {
            command.add("-Dmaven.repo.local=" + repoLocal);
        }
        Path log = TARGET.resolve("kafka-jars-fetch.log");
        Files.createDirectories(log.getParent());
        Process fetch = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!fetch.waitFor(10, TimeUnit.MINUTES) || fetch.exitValue() != 0) {
                fetch.destroyForcibly();
                Folders.deleteRecursively(fetched);
                throw new IllegalStateException("could not fetch the Kafka broker's jars: " + command + "\n"
                        + ChildProcess.tail(log, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Files.write(fetched.resolve(stamp.getFileName()), new byte[0]);
        if (isFresh(stamp)) {
            Folders.deleteRecursively(fetched); // another fetch finished first; its copy is as good
            return;
        }
        Folders.deleteRecursively(KAFKA_LIB);
        try {
            Files.move(fetched, KAFKA_LIB, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException taken) {
            Folders.deleteRecursively(fetched);
            if (!isFresh(stamp)) {
                throw taken;
            }
        }
    }

    private static boolean isFresh(Path stamp) throws IOException {
        return Files.isRegularFile(stamp)
                && Files.getLastModifiedTime(KAFKA_POM).compareTo(Files.getLastModifiedTime(stamp)) <= 0;
    }
}
