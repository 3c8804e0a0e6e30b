package io.letterlock.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the fields of a JSON request body ({@link JsonBody#object}) one by one and collects every
 * problem, so one 400 names every field at fault and a client fixes them all in one round trip.
 * Each kind of problem has one wording, whichever service and endpoint finds it:
 * <ul>
 *   <li>a field not in the body's list: {@code unknown field; allowed: a, b, c} (the field is the
 *       error's {@code field});</li>
 *   <li>a wrong type: {@code <path> must be a string}, {@code … must be a boolean (true or false)},
 *       {@code … must be an object}, {@code … must be an array};</li>
 *   <li>too long: {@code <path> is longer than <n> characters}.</li>
 * </ul>
 * A field is named by its path, SendGrid's way: {@code personalizations.0.to.1.email}
 * ({@link #path}). What JSON {@code null} means is the body's choice ({@link Nulls}), made once.
 *
 * <p>Values are read strictly: no {@code "true"} strings for booleans, no numbers for strings. A
 * wrong value is recorded and reads as absent, so reading goes on and finds the next problem.
 */
public final class JsonFields {

    /** What a JSON {@code null} in a field means. */
    public enum Nulls {
        /** The same as a field left out: SendGrid's SDKs write null for every field not set (mail send). */
        ABSENT,
        /**
         * A value of the wrong type: in a change (PATCH) null could mean "clear it" as well as "leave
         * it", so it is refused rather than guessed at.
         */
        REFUSED
    }

    /** A 30 MiB body of bad values must not become a 30 MiB error body. */
    public static final int MAX_REPORTED = 100;

    private final Nulls nulls;
    private final List<ApiError.Entry> problems = new ArrayList<>();
    private int omitted;

    public JsonFields(Nulls nulls) {
        this.nulls = Objects.requireNonNull(nulls, "nulls");
    }

    /** SendGrid's path of a field inside {@code parent} ({@code ""} for the body itself). */
    public static String path(String parent, Object child) {
        return parent.isEmpty() ? String.valueOf(child) : parent + "." + child;
    }

    /** Left out, or null where null means left out. */
    public boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || (node.isNull() && nulls == Nulls.ABSENT);
    }

    /** A field that carries no meaning: absent, {@code ""}, {@code []} or {@code {}}. */
    public boolean isEmpty(JsonNode node) {
        return isAbsent(node) || (node.isContainerNode() && node.size() == 0)
                || (node.isTextual() && node.textValue().isEmpty());
    }

    /** An optional string; a wrong type is recorded and reads as absent. */
    public Optional<String> text(JsonNode node, String path) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problem(path, path + " must be a string");
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    /** An optional string of at most {@code maxLength} characters; a longer one is recorded and reads as absent. */
    public Optional<String> text(JsonNode node, String path, int maxLength) {
        Optional<String> text = text(node, path);
        if (text.isPresent() && text.get().length() > maxLength) {
            problem(path, path + " is longer than " + maxLength + " characters");
            return Optional.empty();
        }
        return text;
    }

    /** An optional JSON boolean (no {@code "true"}, no {@code 1}); a wrong type is recorded and reads as absent. */
    public Optional<Boolean> bool(JsonNode node, String path) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            problem(path, mustBeBoolean(path));
            return Optional.empty();
        }
        return Optional.of(node.booleanValue());
    }

    /** An optional object; a wrong type is recorded and reads as absent. */
    public Optional<JsonNode> object(JsonNode node, String path) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            problem(path, path + " must be an object");
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /** An optional array; a wrong type is recorded and reads as absent. */
    public Optional<JsonNode> array(JsonNode node, String path) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            problem(path, path + " must be an array");
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /**
     * Records every field of {@code object} not in {@code known}: a misspelt field must not be
     * silently ignored. The message lists {@code known} in the order given.
     *
     * @param path the object's own path, {@code ""} for the body
     */
    public void refuseUnknown(JsonNode object, String path, List<String> known) {
        refuseUnknown(object, path, known::contains, known);
    }

    /**
     * As {@link #refuseUnknown(JsonNode, String, List)}, for a body that also takes fields it does
     * not advertise (SendGrid's that Letterlock accepts only with a value that changes nothing).
     *
     * @param listed the fields the message names as allowed
     */
    public void refuseUnknown(JsonNode object, String path, Predicate<String> known, List<String> listed) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!known.test(field.getKey())) {
                problem(path(path, field.getKey()), unknownField(String.join(", ", listed)));
            }
        }
    }

    /** Records a problem found by the caller's own rules, worded for the client. */
    public void problem(String field, String message) {
        if (problems.size() < MAX_REPORTED) {
            problems.add(new ApiError.Entry(field, message));
        } else {
            omitted++;
        }
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** @throws ApiException 400 listing every problem recorded, when there is any */
    public void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<ApiError.Entry> reported = new ArrayList<>(problems);
        if (omitted > 0) {
            reported.add(new ApiError.Entry(null, omitted + " more problems were not listed"));
        }
        throw ApiException.badRequest(reported);
    }

    /**
     * True when the text has a control character other than tab. A line break in a subject, name or
     * header value would end that header and start another one of the sender's choosing.
     */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                return true;
            }
        }
        return false;
    }

    private static String unknownField(String allowed) {
        return "unknown field; allowed: " + allowed;
    }

    private static String mustBeBoolean(String path) {
        return path + " must be a boolean (true or false)";
    }
}
