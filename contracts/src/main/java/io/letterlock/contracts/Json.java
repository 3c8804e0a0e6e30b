package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON mapping of the contracts. Unknown fields are ignored on read so that an older
 * consumer survives records from a newer producer; absent (null) fields are not written.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // Jackson's own replacement for reflective calls: a job, an event, a view record each
            // took a reflective call a field (profiled: ~2 % of delivery-service's CPU).
            .addModule(new BlackbirdModule())
            // After JavaTimeModule: the module added last is asked first, so Jackson picks this reader
            // for instants, which falls back to the JavaTimeModule's for every form it does not take.
            .addModule(new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstantDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** The shared mapper. Do not reconfigure it; {@code copy()} it instead. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws UncheckedIOException when the bytes are not a valid record of that type */
    public static <T> T fromBytes(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
