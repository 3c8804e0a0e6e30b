package io.letterlock.k8s;

import io.letterlock.contracts.Topics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/** Topic names: the contract's constants, and the names a service runs with in an overlay. */
final class EffectiveTopics {

    private EffectiveTopics() {
    }

    /** Every {@code public static final String} of io.letterlock.contracts.Topics. */
    static List<String> contractTopics() {
        return Arrays.stream(Topics.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())
                        && f.getType() == String.class)
                .map(EffectiveTopics::valueOf)
                .sorted()
                .toList();
    }

    /**
     * The topic a service uses for a {@code letterlock.topics.*} key in an overlay: its variable if
     * the manifests set one, else the default (the contract constant, via service-kit's TopicNames).
     */
    static String name(Manifests manifests, String service, String key) {
        return ServiceConfig.of(service).effective(key, manifests.environment(service))
                .orElseThrow(() -> new AssertionError(service + " has no value for " + key));
    }

    private static String valueOf(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
