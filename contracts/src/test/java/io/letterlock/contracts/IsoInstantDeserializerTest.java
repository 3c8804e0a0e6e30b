package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instants read through the contracts' mapping must come out as the JavaTimeModule alone reads
 * them, and be refused where it refuses them: the shortcut may only be faster.
 */
class IsoInstantDeserializerTest {

    private static final ObjectMapper REFERENCE = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    @Test
    void readsEveryInstantAsTheJavaTimeModuleDoes() throws JsonProcessingException {
        SplittableRandom random = new SplittableRandom(20261206);
        List<String> texts = new ArrayList<>(List.of("2026-12-06T07:15:32Z", "2026-12-06T07:15:32.1Z",
                "2026-12-06T07:15:32.123456789Z", "2026-12-06T07:15:32.1234567890Z", "2026-12-06T07:15:32.Z",
                "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z", "2026-12-06T24:00:00Z",
                "2026-12-06T23:60:00Z", "2026-12-06T23:59:60Z", "2026-12-06t07:15:32z", "2026-12-06T07:15:32+01:00",
                "2026-12-06 07:15:32Z", " 2026-12-06T07:15:32Z", "2026-12-06T07:15:32Z ", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "2026-1a-06T07:15:32Z", "1764979200", "", "Z", "2026-12-06T07:15:32.-12Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(9)));
            String text = instant.toString();
            texts.add(text);
            // The same with one character changed: out-of-range fields, wrong separators, non-digits.
            char[] changed = text.toCharArray();
            changed[random.nextInt(changed.length)] = "0123456789:-.TZz +x".charAt(random.nextInt(19));
            texts.add(new String(changed));
        }
        int read = 0;
        for (String text : texts) {
            String json = Json.mapper().writeValueAsString(text);
            String expected;
            try {
                expected = String.valueOf(REFERENCE.readValue(json, Instant.class));
            } catch (JsonProcessingException e) {
                assertThat(readsAs(json)).as(text).isEqualTo("refused");
                continue;
            }
            read++;
            assertThat(readsAs(json)).as(text).isEqualTo(expected);
        }
        assertThat(read).isGreaterThan(20_000);
        assertThat(texts.stream().filter(text -> IsoInstantDeserializer.parse(text) != null).count())
                .as("read by the shortcut").isGreaterThan(20_000);
    }

    @Test
    void numbersAndNullsAreLeftToTheJavaTimeModule() throws JsonProcessingException {
        for (String json : List.of("1764979200", "1764979200.5", "null", "\"1764979200\"")) {
            Instant expected = REFERENCE.readValue(json, Instant.class);
            assertThat(Json.mapper().readValue(json, Instant.class)).as(json).isEqualTo(expected);
        }
    }

    record Stamped(@JsonProperty("at") Instant at, @JsonProperty("until") Instant until) {
    }

    @Test
    void aRecordsInstantsComeBackAsTheyWereWritten() {
        Stamped stamped = new Stamped(Instant.parse("2026-12-06T07:15:32.123456Z"), Instant.parse("2026-12-09T07:15:32Z"));

        assertThat(Json.fromBytes(Json.toBytes(stamped), Stamped.class)).isEqualTo(stamped);
        assertThat(Json.fromBytes("{\"at\":1764979200,\"until\":null}".getBytes(StandardCharsets.UTF_8), Stamped.class))
                .isEqualTo(new Stamped(Instant.ofEpochSecond(1764979200), null));
    }

    private static String readsAs(String json) {
        try {
            return String.valueOf(Json.mapper().readValue(json, Instant.class));
        } catch (JsonProcessingException e) {
            return "refused";
        }
    }
}
