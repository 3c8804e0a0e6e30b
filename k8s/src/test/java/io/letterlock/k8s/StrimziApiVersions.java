package io.letterlock.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import io.strimzi.crdgenerator.annotations.RequiredInVersions;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strimzi's models hold the properties of every API version at once ({@code operation} of
 * v1beta2 and {@code operations} of v1, say); the CRD of each version has only its own, and the
 * API server refuses or drops the others. This walks a parsed resource and reports properties set
 * outside the versions that have them, and required ones left out.
 */
final class StrimziApiVersions {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private StrimziApiVersions() {
    }

    /**
     * @param apiVersion the document's own, e.g. {@code kafka.strimzi.io/v1}: not the parsed
     *                   object's, for fabric8's CustomResource answers the version its class
     *                   declares (v1beta2 for Kafka), whatever the document said
     */
    static List<String> problems(HasMetadata resource, String apiVersion) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        List<String> problems = new ArrayList<>();
        walk(resource, resource.getKind(), version, problems);
        return problems;
    }

    private static void walk(Object bean, String path, String version, List<String> problems) {
        for (Method getter : bean.getClass().getMethods()) {
            String property = propertyOf(getter);
            if (property == null || property.equals("additionalProperties")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(bean);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + path + "." + property, e);
            }
            String where = path + "." + property;
            PresentInVersions present = annotation(getter, property, PresentInVersions.class);
            if (present != null && isSet(value) && !inRange(version, present.value())) {
                problems.add(where + " is not in kafka.strimzi.io/" + version + " (only " + present.value() + ")");
            }
            RequiredInVersions required = annotation(getter, property, RequiredInVersions.class);
            if (required != null && !isSet(value) && inRange(version, required.value())) {
                problems.add(where + " is required in kafka.strimzi.io/" + version);
            }
            descend(value, where, version, problems);
        }
    }

    private static void descend(Object value, String where, String version, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                descend(item, where + "[" + i++ + "]", version, problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> descend(item, where + "." + key, version, problems));
        } else if (isStrimziModel(value.getClass())) {
            walk(value, where, version, problems);
        }
    }

    /** The property a getter declared by one of Strimzi's classes reads, or null. */
    private static String propertyOf(Method method) {
        if (method.getParameterCount() != 0 || method.isBridge() || method.isSynthetic()
                || Modifier.isStatic(method.getModifiers()) || !isStrimziModel(method.getDeclaringClass())) {
            return null;
        }
        String name = method.getName();
        String rest = name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2) : "";
        if (rest.isEmpty() || !Character.isUpperCase(rest.charAt(0))) {
            return null;
        }
        return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }

    private static boolean isStrimziModel(Class<?> type) {
        return type.getName().startsWith("io.strimzi.api.");
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Method getter, String property,
                                                                          Class<A> type) {
        A onGetter = getter.getAnnotation(type);
        if (onGetter != null) {
            return onGetter;
        }
        for (Class<?> c = getter.getDeclaringClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(property);
                return field.getAnnotation(type);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static boolean isSet(Object value) {
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return value != null;
    }

    /** Whether {@code version} is in a range such as {@code v1beta2}, {@code v1+}, {@code v1alpha1-v1beta2}. */
    static boolean inRange(String version, String ranges) {
        for (String range : ranges.split(",")) {
            range = range.trim();
            if (range.endsWith("+")) {
                if (compare(version, range.substring(0, range.length() - 1)) >= 0) {
                    return true;
                }
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                if (compare(version, ends[0]) >= 0 && compare(version, ends[1]) <= 0) {
                    return true;
                }
            } else if (compare(version, range) == 0) {
                return true;
            }
        }
        return false;
    }

    private static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /** v1alpha1 < v1beta1 < v1beta2 < v1 < v2alpha1. */
    private static int[] parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes API version: " + version);
        }
        int stage = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
        int number = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new int[]{Integer.parseInt(m.group(1)), stage, number};
    }
}
