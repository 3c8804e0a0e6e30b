package io.letterlock.k8s;

import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/** Parameter sources: every overlay, every service, and every overlay with every service. */
final class Cases {

    private Cases() {
    }

    static Stream<String> overlays() {
        return Kustomize.overlays().stream();
    }

    static Stream<String> services() {
        return Manifests.SERVICES.stream();
    }

    static Stream<Arguments> overlaysAndServices() {
        return Kustomize.overlays().stream()
                .flatMap(overlay -> Manifests.SERVICES.stream().map(service -> Arguments.of(overlay, service)));
    }
}
