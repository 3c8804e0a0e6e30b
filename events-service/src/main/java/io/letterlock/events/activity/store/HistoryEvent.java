package io.letterlock.events.activity.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One event of a message's history: its bytes exactly as they came on the topic (custom args,
 * fields a newer producer added), with the few fields the history itself reads out of them.
 *
 * <p>A history is read and written again for every event of its message. Kept as JSON trees, each
 * of those turns parsed every earlier event into a tree and encoded every tree again. Kept as
 * bytes, an event's fields are read as tokens and its bytes are copied, never re-encoded: the
 * history's processing went from 762 to 699 samples of the same run (profiled under
 * {@code bench/run system-throughput}), the rest being the store's own reads and writes.
 *
 * @param json      the event's JSON object; not to be changed
 * @param sgEventId its {@code sg_event_id}, null when absent
 * @param timestamp its {@code timestamp} in unix seconds, 0 when absent
 * @param event     its {@code event} name, null when absent
 * @param email     its {@code email}, null when absent
 * @param tls       its {@code tls} as a number, null when absent or null
 * @param certErr   its {@code cert_err} as a number, null when absent or null
 * @param policy    its {@code policy} as published, null when absent or null
 */
public record HistoryEvent(byte[] json, String sgEventId, long timestamp, String event, String email,
                           Integer tls, Integer certErr, JsonNode policy) {

    /**
     * Read from the event's bytes, not from the contract record it was read into already: the
     * summary shows the policy as it was published, fields a newer producer added included.
     *
     * @throws UncheckedIOException when the bytes are not one JSON object
     */
    public static HistoryEvent of(byte[] json) {
        try (JsonParser parser = Json.mapper().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an event is a JSON object");
            }
            return read(parser, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event whose {@code START_OBJECT} the parser is at, reading up to and including its
     * {@code END_OBJECT}; its bytes are cut out of {@code source}, the parser's whole input.
     */
    static HistoryEvent read(JsonParser parser, byte[] source) throws IOException {
        int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        String sgEventId = null;
        long timestamp = 0;
        String event = null;
        String email = null;
        Integer tls = null;
        Integer certErr = null;
        JsonNode policy = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            // Read as a tree's node would be, so that a number written as text still counts.
            switch (field) {
                case "sg_event_id" -> sgEventId = text(parser);
                case "timestamp" -> timestamp = longValue(parser);
                case "event" -> event = text(parser);
                case "email" -> email = text(parser);
                case "tls" -> tls = number(parser);
                case "cert_err" -> certErr = number(parser);
                case "policy" -> {
                    JsonNode node = parser.readValueAsTree();
                    policy = node.isNull() ? null : node;
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("an event's JSON object is not complete");
        }
        int end = Math.toIntExact(parser.currentLocation().getByteOffset());
        byte[] json = start == 0 && end == source.length ? source : Arrays.copyOfRange(source, start, end);
        return new HistoryEvent(json, sgEventId, timestamp, event, email, tls, certErr, policy);
    }

    /** The event as a JSON object, for an answer that shows it. */
    public ObjectNode toJson() {
        return Json.fromBytes(json, ObjectNode.class);
    }

    /*
     * The value the parser is at, as its tree node's asText/asLong/asInt would give it. The usual
     * token (a string, a number that fits) is read as it is; anything else goes through the tree
     * node, which reading every field that way cost (2.8 % of events-service's CPU under the
     * system benchmark, for a node made and dropped per field).
     */

    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        JsonNode node = parser.readValueAsTree();
        return node.isNull() ? null : node.asText();
    }

    private static long longValue(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        return ((JsonNode) parser.readValueAsTree()).asLong();
    }

    private static Integer number(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        }
        JsonNode node = parser.readValueAsTree();
        return node.isNull() ? null : node.asInt();
    }
}
