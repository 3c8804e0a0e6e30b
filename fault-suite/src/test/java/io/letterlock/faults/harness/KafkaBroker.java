package io.letterlock.faults.harness;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM) as its own process, configured as
 * deploy/local/run configures it, on two free ports and with its data under {@code target/}.
 * It can be killed with SIGKILL and started again on the same ports and data, as a crashed broker
 * comes back: the clients of the services must find it again by themselves.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Path directory;
    private final int port = Ports.free();
    private final int controllerPort = Ports.free();
    private int starts;
    private ChildProcess process;

    public KafkaBroker(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Formats the storage on the first start, then starts the broker and waits until it serves. */
    public synchronized KafkaBroker start() {
        String classpath = Repo.kafkaClasspath();
        Path properties = directory.resolve("server.properties");
        Path storage = directory.resolve("storage");
        try {
            Files.createDirectories(directory);
            Files.writeString(properties, serverProperties(storage), StandardCharsets.UTF_8);
            if (!Files.isRegularFile(storage.resolve("meta.properties"))) {
                format(classpath, properties);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts++;
        Path log = directory.resolve(name + "-" + starts + ".log");
        process = new ChildProcess(name, List.of(Repo.java(), "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                // The line deploy/local/run waits for too.
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", classpath, "kafka.Kafka", properties.toString()), directory, log).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(logSays(log, "Kafka Server started") && Ports.open(port))) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + process.tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + START_TIMEOUT + ":\n" + process.tail(40));
            }
            sleep(100);
        }
        return this;
    }

    /** SIGKILL: no controlled shutdown, logs recovered on the next start. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** SIGTERM and wait (a controlled shutdown), SIGKILL after 30 s. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    /** Every log this broker wrote, oldest first. */
    public List<Path> logs() {
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void format(String classpath, Path properties) throws IOException {
        // StorageTool calls System.exit: its own JVM. --cluster-id=ID, as an id may start with '-'.
        Path log = directory.resolve(name + "-format.log");
        Process format = new ProcessBuilder(Repo.java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.tools.StorageTool", "format",
                "--cluster-id=" + Uuid.randomUuid(), "--standalone", "-c", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting " + name + "'s storage failed:\n" + ChildProcess.tail(log, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** deploy/local/run's server.properties, with this broker's ports and folder. */
    private String serverProperties(Path storage) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + storage,
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private static boolean logSays(Path log, String text) {
        try {
            return Files.isRegularFile(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " at " + bootstrapServers();
    }
}
