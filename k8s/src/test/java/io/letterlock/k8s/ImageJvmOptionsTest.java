package io.letterlock.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options each image gives its service through JDK_JAVA_OPTIONS, which the java launcher
 * reads whatever the entrypoint does: they are tried on a JVM of the image's major version, the one
 * running this test, because one the JVM refuses would stop every pod at start. The images have no
 * AOT cache, so what they must say is C1 alone (deploy/local/run's LETTERLOCK_JIT=auto makes the same
 * choice for a JVM without one).
 */
class ImageJvmOptionsTest {

    @ParameterizedTest
    @MethodSource("io.letterlock.k8s.Cases#services")
    void theImageJvmCompilesWithC1AloneAndAcceptsItsOptions(String service) throws Exception {
        Path dockerfile = ServiceConfig.dockerfile(service);
        String text = Files.readString(dockerfile);

        Matcher base = ServiceConfig.matcher("(?m)^FROM\\s+\\S*/openjdk-(\\d+)-runtime:\\S+\\s*$", text);
        assertThat(base.find()).as("%s starts FROM one of UBI's openjdk-N-runtime images", dockerfile).isTrue();
        assertThat(Runtime.version().feature())
                .as("%s runs Java %s; this check must run on that major version (and a JDK 25 image with an AOT "
                        + "cache would call for tiered compilation, see deploy/local/aot.sh jit_choice)",
                        dockerfile, base.group(1))
                .isEqualTo(Integer.parseInt(base.group(1)));

        Matcher options = ServiceConfig.matcher("(?m)^ENV\\s+JDK_JAVA_OPTIONS=\"([^\"]*)\"\\s*$", text);
        assertThat(options.find()).as("%s sets ENV JDK_JAVA_OPTIONS=\"...\"", dockerfile).isTrue();

        String flags = finalFlags(options.group(1));
        assertThat(flags).contains("Picked up JDK_JAVA_OPTIONS: " + options.group(1));
        assertThat(ServiceConfig.matcher("(?m)^\\s*intx TieredStopAtLevel\\s+= 1\\s", flags).find())
                .as("TieredStopAtLevel in effect with the image's options:%n%s", flags).isTrue();
    }

    /**
     * What `java -XX:+PrintFlagsFinal -version` prints with JDK_JAVA_OPTIONS set to {@code options},
     * on the JVM running this test; it must accept them.
     */
    static String finalFlags(String options) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:+PrintFlagsFinal", "-version"))
                .redirectErrorStream(true);
        builder.environment().put("JDK_JAVA_OPTIONS", options);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("java -version ended").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("the JVM refused the image's JDK_JAVA_OPTIONS \"%s\":%n%s", options, text)
                .isZero();
        return text;
    }
}
