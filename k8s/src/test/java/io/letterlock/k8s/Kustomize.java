package io.letterlock.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders kustomizations with {@code kubectl kustomize}, offline, exactly as {@code kubectl apply -k}
 * would send them (kubectl 1.32 embeds kustomize v5.5). Set KUBECTL to use another binary.
 */
final class Kustomize {

    private Kustomize() {
    }

    /** The repository's root folder (the parent of k8s/). */
    static Path repoRoot() {
        String configured = System.getProperty("repo.root");
        Path root = configured != null ? Paths.get(configured) : Paths.get("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("k8s/overlays"))) {
            throw new IllegalStateException("no k8s/overlays under " + root + " (set -Drepo.root)");
        }
        return root;
    }

    /** Every overlay: each folder of k8s/overlays with a kustomization.yaml. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(repoRoot().resolve("k8s/overlays"))) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String render(Path kustomization) {
        Path errors = null;
        try {
            errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl(), "kustomize", kustomization.toString())
                    .redirectError(errors.toFile())
                    .start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + kustomization + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + kustomization + " failed:\n"
                        + Files.readString(errors, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl kustomize " + kustomization + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }

    private static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("kubectl is not on the PATH: the k8s checks render the overlays with "
                + "`kubectl kustomize` (kubectl 1.27 or newer; see k8s/README.md, \"Checks\")");
    }
}
