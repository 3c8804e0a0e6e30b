package io.letterlock.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration keys out of Java source, as SmallRye Config derives them: for each
 * {@code @ConfigMapping(prefix = "p")} interface, one key per method ({@code p.} + the method name
 * in kebab case, or {@code @WithName}; {@code @WithParentName} uses the prefix itself), a method
 * returning a nested interface a group below it, a {@code Map} any key below it; and the name of
 * every {@code @ConfigProperty}. Defaults come from {@code @WithDefault} and {@code defaultValue},
 * string literals or constants of classes on the test classpath (contracts' Topics). The keys of a
 * {@code @Deprecated} mapping are retired ones, declared only so that the service can refuse them
 * with a useful message: they are kept apart ({@link #retiredKeys()}), not counted as read.
 */
final class ConfigMappingScanner {

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\s*\\(");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern TYPE_HEADER = Pattern.compile("\\b(?:interface|class|enum|record)\\s+(\\w+)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+)\\s*;");
    private static final Pattern ANNOTATION = Pattern.compile("^@([\\w.]+)\\s*");
    private static final Pattern METHOD = Pattern.compile(
            "^(?:(?:public|abstract|default)\\s+)*([\\w.<>\\[\\],?\\s]+?)\\s+(\\w+)\\s*\\(\\s*\\)$", Pattern.DOTALL);
    private static final Pattern GENERIC = Pattern.compile("^([\\w.]+)\\s*<(.*)>$", Pattern.DOTALL);

    private final Map<String, String> keys = new TreeMap<>();
    private final Set<String> mapPrefixes = new TreeSet<>();
    private final Map<String, String> retiredKeys = new TreeMap<>();
    /** Where member() puts what it finds: {@link #keys}, or {@link #retiredKeys} inside a deprecated mapping. */
    private Map<String, String> target = keys;

    /** Key → default (null when none). */
    Map<String, String> keys() {
        return Collections.unmodifiableMap(keys);
    }

    /** Keys of deprecated mappings: declared, refused, not read. */
    Set<String> retiredKeys() {
        return Collections.unmodifiableSet(retiredKeys.keySet());
    }

    /** Prefixes below which any key is read (Map-valued mappings). */
    Set<String> mapPrefixes() {
        return Collections.unmodifiableSet(mapPrefixes);
    }

    void scanSources(Path root) {
        scanSources(root, file -> true);
    }

    void scanSources(Path root, Predicate<Path> include) {
        for (Path file : ServiceConfig.javaSources(root).stream().filter(include).toList()) {
            try {
                scan(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
    }

    void scan(String source) {
        String code = withoutComments(source);
        Map<String, String> imports = new HashMap<>();
        Matcher imported = IMPORT.matcher(code);
        while (imported.find()) {
            String name = imported.group(1);
            imports.put(name.substring(name.lastIndexOf('.') + 1), name);
        }
        Matcher property = CONFIG_PROPERTY.matcher(code);
        while (property.find()) {
            int open = property.end() - 1;
            String arguments = code.substring(open + 1, closing(code, open, '(', ')'));
            String name = attribute(arguments, "name", imports);
            if (name != null) {
                keys.put(name, attribute(arguments, "defaultValue", imports));
            }
        }
        Matcher mapping = CONFIG_MAPPING.matcher(code);
        while (mapping.find()) {
            int open = mapping.end() - 1;
            int close = closing(code, open, '(', ')');
            String prefix = attribute(code.substring(open + 1, close), "prefix", imports);
            Matcher type = INTERFACE.matcher(code);
            if (prefix == null || !type.find(close)) {
                throw new IllegalStateException("@ConfigMapping without a prefix or an interface: "
                        + code.substring(mapping.start(), Math.min(code.length(), close + 80)));
            }
            int bodyOpen = type.end() - 1;
            String body = code.substring(bodyOpen + 1, closing(code, bodyOpen, '{', '}'));
            Map<String, String> nested = new HashMap<>();
            collectNestedTypes(body, nested);
            int declarationStart = Math.max(code.lastIndexOf(';', mapping.start()), code.lastIndexOf('}', mapping.start())) + 1;
            target = code.substring(declarationStart, type.start()).contains("@Deprecated") ? retiredKeys : keys;
            members(prefix, body, nested, imports);
            target = keys;
        }
    }

    private void members(String prefix, String body, Map<String, String> nested, Map<String, String> imports) {
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                int end = endOfString(body, i);
                chunk.append(body, i, end);
                i = end - 1;
            } else if (c == '{') {
                // A nested type (read through the group methods) or a default method: not a key itself.
                i = closing(body, i, '{', '}');
                chunk.setLength(0);
            } else if (c == ';') {
                member(prefix, chunk.toString().trim(), nested, imports);
                chunk.setLength(0);
            } else {
                chunk.append(c);
            }
        }
    }

    private void member(String prefix, String declaration, Map<String, String> nested, Map<String, String> imports) {
        Map<String, String> annotations = new LinkedHashMap<>();
        String rest = declaration;
        Matcher annotation;
        while ((annotation = ANNOTATION.matcher(rest)).find()) {
            String name = annotation.group(1);
            name = name.substring(name.lastIndexOf('.') + 1);
            rest = rest.substring(annotation.end());
            String arguments = "";
            if (rest.startsWith("(")) {
                int close = closing(rest, 0, '(', ')');
                arguments = rest.substring(1, close);
                rest = rest.substring(close + 1).trim();
            }
            annotations.put(name, arguments);
        }
        Matcher method = METHOD.matcher(rest.trim());
        if (rest.contains("static") || rest.contains("=") || !method.matches()) {
            return;
        }
        String type = method.group(1).replaceAll("\\s+", "");
        String name = method.group(2);
        String key;
        if (annotations.containsKey("WithParentName")) {
            key = prefix;
        } else if (annotations.containsKey("WithName")) {
            key = prefix + "." + value(annotations.get("WithName").trim(), imports);
        } else {
            key = prefix + "." + kebab(name);
        }
        String valueType = unwrap(type, "Optional");
        Matcher generic = GENERIC.matcher(valueType);
        String simple = valueType.substring(valueType.lastIndexOf('.') + 1);
        if (nested.containsKey(simple)) {
            members(key, nested.get(simple), nested, imports);
        } else if (generic.matches() && generic.group(1).endsWith("Map")) {
            mapPrefixes.add(key);
        } else if (generic.matches() && nested.containsKey(lastSegment(generic.group(2)))) {
            // A list of groups: key[0].member ... — accept anything below it.
            mapPrefixes.add(key);
        } else {
            String defaultValue = annotations.containsKey("WithDefault")
                    ? value(annotations.get("WithDefault").trim(), imports) : null;
            target.put(key, defaultValue);
        }
    }

    private static void collectNestedTypes(String body, Map<String, String> nested) {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                i = endOfString(body, i) - 1;
                header.setLength(0);
            } else if (c == '{') {
                int close = closing(body, i, '{', '}');
                Matcher type = TYPE_HEADER.matcher(header);
                String inner = body.substring(i + 1, close);
                if (type.find()) {
                    nested.put(type.group(1), inner);
                    collectNestedTypes(inner, nested);
                }
                header.setLength(0);
                i = close;
            } else if (c == ';') {
                header.setLength(0);
            } else {
                header.append(c);
            }
        }
    }

    private static String unwrap(String type, String wrapper) {
        Matcher generic = GENERIC.matcher(type);
        if (generic.matches() && lastSegment(generic.group(1)).equals(wrapper)) {
            return generic.group(2);
        }
        return type;
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code name = "value"} or {@code name = Constant.FIELD} among annotation arguments. */
    private static String attribute(String arguments, String name, Map<String, String> imports) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[\\w.]+)").matcher(arguments);
        return m.find() ? value(m.group(1), imports) : null;
    }

    /** A string literal's text, or a constant's value when its class is on the classpath (else null). */
    private static String value(String expression, Map<String, String> imports) {
        if (expression.startsWith("\"") && expression.endsWith("\"")) {
            return expression.substring(1, expression.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        int dot = expression.lastIndexOf('.');
        if (dot > 0) {
            String owner = expression.substring(0, dot);
            String className = imports.getOrDefault(owner, owner);
            try {
                Object constant = Class.forName(className).getField(expression.substring(dot + 1)).get(null);
                return String.valueOf(constant);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
        return null;
    }

    /** SmallRye Config's kebab case: maxInFlight → max-in-flight, idHost → id-host, useHTTPProxy → use-http-proxy. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                boolean acronymEnd = i > 0 && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || acronymEnd) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The index of the bracket closing the one at {@code open}, skipping string and char literals. */
    private static int closing(String text, int open, char opening, char closingChar) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(text, i) - 1;
            } else if (c == opening) {
                depth++;
            } else if (c == closingChar && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced " + opening + " in: "
                + text.substring(open, Math.min(text.length(), open + 120)));
    }

    /** The index just past the string, text block or char literal starting at {@code start}. */
    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        if (quote == '"' && text.startsWith("\"\"\"", start)) {
            int end = text.indexOf("\"\"\"", start + 3);
            return end < 0 ? text.length() : end + 3;
        }
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return text.length();
    }

    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfString(source, i);
                out.append(source, i, end);
                i = end - 1;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = (end < 0 ? source.length() : end) - 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = (end < 0 ? source.length() : end + 2) - 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
