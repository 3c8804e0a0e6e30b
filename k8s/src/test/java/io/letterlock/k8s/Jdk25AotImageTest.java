package io.letterlock.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' Java 25 images, which no test here can build (no container engine in CI): that their
 * three files agree, since a mismatch shows only in a pod. Dockerfile.jvm25 copies the aot-jar
 * that deploy/docker/build-aot-image packages, runs a Java 25 or newer, and compiles with C1 alone
 * without a cache; Dockerfile.jvm25-aot puts the cache where its JVM option reads it, still with C1
 * alone (a replica that joins under load must not spend its first seconds in C2: measured in README,
 * Benchmarks) and on the base image the script builds; the options every JVM of the image gets
 * (training run and pods alike) are accepted by a JVM and pin the collector, as UBI's run-java.sh
 * does for Dockerfile.jvm, and the heap follows JAVA_MAX_MEM_RATIO as it does there. The script builds
 * them for each service that has a Dockerfile.jvm, with that image's port.
 */
class Jdk25AotImageTest {

    private static final Path DOCKER = Kustomize.repoRoot().resolve("deploy/docker");
    private static final Path SCRIPT = Kustomize.repoRoot().resolve("deploy/docker/build-aot-image");

    @Test
    void theImageRunsJava25OnTheAotJarTheScriptPackages() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm25"));
        String script = Files.readString(SCRIPT);

        String java = first("openjdk-(\\d+)-jre-headless", dockerfile, "Dockerfile.jvm25 installs an openjdk-N-jre-headless");
        assertThat(Integer.parseInt(java)).as("JDK 25's AOT cache (JEP 483, 515)").isGreaterThanOrEqualTo(25);

        String output = first("-Dquarkus\\.package\\.output-directory=(\\S+)", script,
                "build-aot-image packages into a folder of its own");
        assertThat(script).contains("-Dquarkus.package.jar.type=aot-jar");
        List<String> copied = all("(?m)^COPY\\s+(?:--chown=\\S+\\s+)?(\\S+)\\s+/deployments/", dockerfile);
        assertThat(copied).as("Dockerfile.jvm25's COPY sources").isNotEmpty()
                .allSatisfy(source -> assertThat(source).startsWith("target/" + output + "/"));

        assertThat(env("JDK_JAVA_OPTIONS", dockerfile)).as("without a cache: C1 alone, as Dockerfile.jvm")
                .isEqualTo("-XX:TieredStopAtLevel=1");
        assertThat(first("(?m)^ENTRYPOINT\\s+(.*)$", dockerfile, "Dockerfile.jvm25 has an ENTRYPOINT"))
                .contains("exec java ").contains(" $JAVA_OPTS ")
                .contains("/deployments/quarkus-run.jar")
                .as("the heap as k8s/base's JAVA_MAX_MEM_RATIO says, which UBI's run-java.sh reads for Dockerfile.jvm")
                .contains("-XX:MaxRAMPercentage=${JAVA_MAX_MEM_RATIO:-");
    }

    @Test
    void theCachedImageReadsItsCacheWhereItPutsItWithC1AloneOnTheScriptsBase() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm25-aot"));
        String script = Files.readString(SCRIPT);

        String cache = first("(?m)^COPY\\s+(?:--chown=\\S+\\s+)?app\\.aot\\s+(\\S+)\\s*$", dockerfile,
                "Dockerfile.jvm25-aot copies app.aot");
        assertThat(env("JDK_JAVA_OPTIONS", dockerfile)).isEqualTo("-XX:AOTCache=" + cache + " -XX:TieredStopAtLevel=1");

        String base = first("(?m)^ARG\\s+BASE=(\\S+)\\s*$", dockerfile, "Dockerfile.jvm25-aot has ARG BASE=<image>");
        assertThat(ServiceConfig.matcher("(?m)^FROM\\s+\\$\\{BASE}\\s*$", dockerfile).find()).isTrue();
        String image = first("image=\"\\$\\{IMAGE:-([^}]+)}\"", script, "build-aot-image names its image");
        String service = first("(?m)^service=(\\S+)$", script, "build-aot-image has a default service");
        assertThat(base).as("the script's image for its default service")
                .isEqualTo(image.replace("$service", service) + ":dev-jdk25");
        assertThat(script).contains("-f deploy/docker/Dockerfile.jvm25 --build-arg PORT=\"$port\" -t \"$image:dev-jdk25\"")
                .contains("-f deploy/docker/Dockerfile.jvm25-aot")
                .contains("--build-arg BASE=\"$image:dev-jdk25\"");
    }

    @Test
    void theScriptBuildsEveryServicesImageWithThatServicesPort() throws IOException {
        String script = Files.readString(SCRIPT);
        Map<String, String> ports = new TreeMap<>();
        Matcher cases = ServiceConfig.matcher("(?m)^\\s*([a-z]+-service)\\) port=(\\d+) ;;$", script);
        while (cases.find()) {
            ports.put(cases.group(1), cases.group(2));
        }
        Map<String, String> exposed = new TreeMap<>();
        for (String service : Manifests.SERVICES) {
            Path jvm = ServiceConfig.dockerfile(service);
            exposed.put(service, first("(?m)^EXPOSE\\s+(\\d+)\\s*$", Files.readString(jvm), jvm + " exposes a port"));
        }
        assertThat(ports).as("build-aot-image's service -> port, as each Dockerfile.jvm exposes it").isEqualTo(exposed);
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm25"));
        assertThat(first("(?m)^EXPOSE\\s+(\\S+)\\s*$", dockerfile, "Dockerfile.jvm25 exposes a port"))
                .isEqualTo("${PORT}");
    }

    @Test
    void everyJvmOfTheImageGetsOneCollectorWhateverThePodsMemory() throws Exception {
        String javaOpts = env("JAVA_OPTS", Files.readString(DOCKER.resolve("Dockerfile.jvm25")));
        // The launcher reads JDK_JAVA_OPTIONS as it reads the command line's options.
        String flags = ImageJvmOptionsTest.finalFlags(javaOpts);
        // A JVM picks the serial collector by itself below 2 GiB (k8s/base gives delivery 1 GiB) and G1
        // above: a pinned one is "command line", not "ergonomic".
        Matcher pinned = ServiceConfig.matcher("(?m)^\\s*bool Use(\\w+)GC\\s+= true\\s+\\{product} \\{command line}", flags);
        assertThat(pinned.find()).as("JAVA_OPTS \"%s\" pins a collector:%n%s", javaOpts, flags).isTrue();
    }

    /** The value of {@code ENV name="..."} in a Dockerfile. */
    private static String env(String name, String dockerfile) {
        return first("(?m)^ENV\\s+" + name + "=\"([^\"]*)\"\\s*$", dockerfile,
                "the Dockerfile sets ENV " + name + "=\"...\"");
    }

    /** The first group of the first match of {@code regex}, which {@code what} says must be there. */
    private static String first(String regex, String text, String what) {
        Matcher matcher = ServiceConfig.matcher(regex, text);
        assertThat(matcher.find()).as(what).isTrue();
        return matcher.group(1);
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
