package io.letterlock.testkit.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Inputs a hostile or careless API caller could send, drawn from a seeded {@link Random}: odd text
 * (empty, blank, control characters, long, non-ASCII, almost-dates and almost-numbers) and JSON of
 * every type, with the fields a parser knows mixed among ones it does not. For property tests of
 * request parsers: whatever the input, a value or a 4xx, never anything else. A failure names the
 * seed and the try, so it can be replayed.
 */
public final class RandomInputs {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> ODD = List.of("", " ", "\t", "\u0000", "null", "true", "-1", "0", "1e309",
            "NaN", "-999999999-01-01", "+999999999-12-31", "2026-02-30", "2026-13-01", "9999-12-31T23:59:60Z",
            "\u202e", "💌", "\"", "'", "\\", "%00", "a".repeat(10_000), "1".repeat(400), "..", "[]", "{}");
    private static final String ALPHABET = "aZ09-+_.:/@ TtZz\"'\\\u00e9\u4e2d\ud83d\udce7\n\r\t\u0000,;=()[]{}<>";

    private final Random random;

    public RandomInputs(long seed) {
        this.random = new Random(seed);
    }

    /** Checks {@code property} on {@code tries} inputs; a failure names the seed, the try and the input. */
    public static <T> void check(long seed, int tries, Function<RandomInputs, T> input, Consumer<T> property) {
        RandomInputs inputs = new RandomInputs(seed);
        for (int i = 0; i < tries; i++) {
            T value = input.apply(inputs);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                String shown = String.valueOf(value);
                throw new AssertionError("seed " + seed + ", try " + i + ", input "
                        + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown) + ": " + e, e);
            }
        }
    }

    public int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    public boolean coin() {
        return random.nextBoolean();
    }

    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Text: one of the odd strings, a number or date almost right, or random characters. */
    public String text() {
        return switch (random.nextInt(5)) {
            case 0 -> oneOf(ODD);
            case 1 -> String.valueOf(random.nextLong() >> random.nextInt(64));
            case 2 -> String.format("%d-%02d-%02d", between(-20_000, 20_000), between(0, 14), between(0, 33))
                    + (coin() ? "" : "T" + between(0, 25) + ":" + between(0, 61) + ":00" + oneOf(List.of("Z", "+25:00", "")));
            default -> {
                StringBuilder text = new StringBuilder();
                int length = between(0, 40);
                for (int i = 0; i < length; i++) {
                    text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                yield text.toString();
            }
        };
    }

    /** Any JSON value, nested at most {@code depth} deep. */
    public JsonNode value(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> JSON.textNode(text());
            case 1 -> JSON.numberNode(random.nextLong() >> random.nextInt(64));
            case 2 -> JSON.numberNode(oneOf(List.of(1.1, 1.2, 1.3, -0.0, 1e308, Double.MIN_VALUE, random.nextDouble())));
            case 3 -> JSON.booleanNode(coin());
            case 4 -> JSON.nullNode();
            case 5 -> JSON.textNode(oneOf(ODD));
            case 6 -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = between(0, 3); i > 0; i--) {
                    array.add(value(depth - 1));
                }
                yield array;
            }
            default -> object(List.of(), depth - 1);
        };
    }

    /** An object with some of {@code known} (values of any type) and now and then a field nobody knows. */
    public ObjectNode object(List<String> known, int depth) {
        ObjectNode object = JSON.objectNode();
        for (String field : known) {
            if (random.nextInt(3) > 0) {
                object.set(field, value(depth));
            }
        }
        if (random.nextInt(4) == 0) {
            object.set(text(), value(depth));
        }
        return object;
    }

    /** Any JSON document a body could be: mostly objects with {@code known} fields, sometimes not an object. */
    public JsonNode body(List<String> known) {
        return random.nextInt(10) == 0 ? value(1) : object(known, 2);
    }
}
