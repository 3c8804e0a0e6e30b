package io.letterlock.events.webhooks.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;

import java.io.IOException;

/**
 * The two facts the dispatcher needs of an event record, its account and its type, read with a
 * streaming parser that walks the record once and builds nothing else. At tens of thousands of
 * events a second a full {@code MailEvent} per record would cost more than the rest of the work;
 * the record's bytes are forwarded as they are. Walking to the end also proves the record is one
 * well-formed JSON object, so a batch never carries broken JSON.
 */
public final class EventRouting {

    private static final JsonFactory JSON = Json.mapper().getFactory();

    private EventRouting() {
    }

    /** What an event record is about. */
    public record Routed(String accountId, EventType type) {
    }

    /** @throws IllegalArgumentException when the record is not a JSON object with account_id and a known event */
    public static Routed read(byte[] record) {
        if (record == null) {
            throw new IllegalArgumentException("no value");
        }
        String accountId = null;
        String event = null;
        try (JsonParser parser = JSON.createParser(record)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("account_id".equals(name) && value == JsonToken.VALUE_STRING) {
                    accountId = parser.getText();
                } else if ("event".equals(name) && value == JsonToken.VALUE_STRING) {
                    event = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("not one JSON object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON", e);
        }
        if (accountId == null || accountId.isEmpty()) {
            throw new IllegalArgumentException("no account_id");
        }
        if (event == null) {
            throw new IllegalArgumentException("no event");
        }
        String name = event;
        return new Routed(accountId, EventType.parse(event)
                .orElseThrow(() -> new IllegalArgumentException("unknown event " + name)));
    }
}
