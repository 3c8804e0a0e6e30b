package io.letterlock.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * delivery-service's Java 25 images, which no test here can build (no container engine in CI): that
 * their three files agree, since a mismatch shows only in a pod. Dockerfile.jvm25 copies the aot-jar
 * that deploy/docker/build-aot-image packages, runs a Java 25 or newer, and compiles with C1 alone
 * without a cache; Dockerfile.jvm25-aot puts the cache where its JVM option reads it, still with C1
 * alone (a replica that joins under load must not spend its first seconds in C2: measured in README,
 * Benchmarks) and on the base image the script builds; the options every JVM of the image gets
 * (training run and pods alike) are accepted by a JVM and pin the collector, as UBI's run-java.sh
 * does for Dockerfile.jvm, and the heap follows JAVA_MAX_MEM_RATIO as it does there.
 */
class Jdk25AotImageTest {

    private static final Path DOCKER = Kustomize.repoRoot().resolve("delivery-service/src/main/docker");
    private static final Path SCRIPT = Kustomize.repoRoot().resolve("deploy/docker/build-aot-image");

    @Test
    void theImageRunsJava25OnTheAotJarTheScriptPackages() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm25"));
        String script = Files.readString(SCRIPT);

        Matcher java = ServiceConfig.matcher("openjdk-(\\d+)-jre-headless", dockerfile);
        assertThat(java.find()).as("Dockerfile.jvm25 installs an openjdk-N-jre-headless").isTrue();
        assertThat(Integer.parseInt(java.group(1))).as("JDK 25's AOT cache (JEP 483, 515)").isGreaterThanOrEqualTo(25);

        Matcher output = ServiceConfig.matcher("-Dquarkus\\.package\\.output-directory=(\\S+)", script);
        assertThat(output.find()).as("build-aot-image packages into a folder of its own").isTrue();
        assertThat(script).contains("-Dquarkus.package.jar.type=aot-jar");
        List<String> copied = all("(?m)^COPY\\s+(?:--chown=\\S+\\s+)?(\\S+)\\s+/deployments/", dockerfile);
        assertThat(copied).as("Dockerfile.jvm25's COPY sources").isNotEmpty()
                .allSatisfy(source -> assertThat(source).startsWith("target/" + output.group(1) + "/"));

        assertThat(env("JDK_JAVA_OPTIONS", dockerfile)).as("without a cache: C1 alone, as Dockerfile.jvm")
                .isEqualTo("-XX:TieredStopAtLevel=1");
        Matcher entrypoint = ServiceConfig.matcher("(?m)^ENTRYPOINT\\s+(.*)$", dockerfile);
        assertThat(entrypoint.find()).isTrue();
        assertThat(entrypoint.group(1)).contains("exec java ").contains(" $JAVA_OPTS ")
                .contains("/deployments/quarkus-run.jar")
                .as("the heap as k8s/base's JAVA_MAX_MEM_RATIO says, which UBI's run-java.sh reads for Dockerfile.jvm")
                .contains("-XX:MaxRAMPercentage=${JAVA_MAX_MEM_RATIO:-");
    }

    @Test
    void theCachedImageReadsItsCacheWhereItPutsItWithC1AloneOnTheScriptsBase() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm25-aot"));
        String script = Files.readString(SCRIPT);

        Matcher copy = ServiceConfig.matcher("(?m)^COPY\\s+(?:--chown=\\S+\\s+)?app\\.aot\\s+(\\S+)\\s*$", dockerfile);
        assertThat(copy.find()).as("Dockerfile.jvm25-aot copies app.aot").isTrue();
        String options = env("JDK_JAVA_OPTIONS", dockerfile);
        assertThat(options).isEqualTo("-XX:AOTCache=" + copy.group(1) + " -XX:TieredStopAtLevel=1");

        Matcher base = ServiceConfig.matcher("(?m)^ARG\\s+BASE=(\\S+)\\s*$", dockerfile);
        assertThat(base.find()).isTrue();
        assertThat(ServiceConfig.matcher("(?m)^FROM\\s+\\$\\{BASE}\\s*$", dockerfile).find()).isTrue();
        Matcher image = ServiceConfig.matcher("image=\"\\$\\{IMAGE:-([^}]+)}\"", script);
        assertThat(image.find()).as("build-aot-image names its image").isTrue();
        assertThat(base.group(1)).isEqualTo(image.group(1) + ":dev-jdk25");
        assertThat(script).contains("-f delivery-service/src/main/docker/Dockerfile.jvm25 -t \"$image:dev-jdk25\"")
                .contains("--build-arg BASE=\"$image:dev-jdk25\"");
    }

    @Test
    void everyJvmOfTheImageGetsOneCollectorWhateverThePodsMemory() throws Exception {
        String javaOpts = env("JAVA_OPTS", Files.readString(DOCKER.resolve("Dockerfile.jvm25")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(javaOpts.split("\\s+")));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String flags = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the JVM refused JAVA_OPTS \"%s\":%n%s", javaOpts, flags).isZero();
        // A JVM picks the serial collector by itself below 2 GiB (k8s/base gives delivery 1 GiB) and G1
        // above: a pinned one is "command line", not "ergonomic".
        Matcher pinned = ServiceConfig.matcher("(?m)^\\s*bool Use(\\w+)GC\\s+= true\\s+\\{product} \\{command line}", flags);
        assertThat(pinned.find()).as("JAVA_OPTS \"%s\" pins a collector:%n%s", javaOpts, flags).isTrue();
    }

    /** The value of {@code ENV name="..."} in a Dockerfile. */
    private static String env(String name, String dockerfile) {
        Matcher env = ServiceConfig.matcher("(?m)^ENV\\s+" + name + "=\"([^\"]*)\"\\s*$", dockerfile);
        assertThat(env.find()).as("the Dockerfile sets ENV %s=\"...\"", name).isTrue();
        return env.group(1);
    }

    private static List<String> all(String regex, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = ServiceConfig.matcher(regex, text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
