package io.letterlock.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields.Nulls;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFieldsTest {

    private static JsonNode body(String json) {
        return JsonBody.object(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ApiError.Entry> problems(JsonFields fields) {
        try {
            fields.throwIfAny();
            return List.of();
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.body().errors();
        }
    }

    @ParameterizedTest(name = "{0} read as {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"f": 5}          | text   | f must be a string
            {"f": true}       | text   | f must be a string
            {"f": "true"}     | bool   | f must be a boolean (true or false)
            {"f": 1}          | bool   | f must be a boolean (true or false)
            {"f": []}         | object | f must be an object
            {"f": {}}         | array  | f must be an array
            {"f": "abcdefghi"}| short  | f is longer than 8 characters
            """)
    void eachWrongValueHasOneWordingAndReadsAsAbsent(String json, String kind, String message) {
        JsonFields fields = new JsonFields(Nulls.REFUSED);
        JsonNode node = body(json).get("f");
        Optional<?> read = switch (kind) {
            case "text" -> fields.text(node, "f");
            case "bool" -> fields.bool(node, "f");
            case "object" -> fields.object(node, "f");
            case "array" -> fields.array(node, "f");
            case "short" -> fields.text(node, "f", 8);
            default -> throw new IllegalArgumentException(kind);
        };
        assertThat(read).isEmpty();
        assertThat(problems(fields)).containsExactly(new ApiError.Entry("f", message));
    }

    @Test
    void rightValuesAreReadAndAbsentOnesAreEmptyWithoutAProblem() {
        JsonFields fields = new JsonFields(Nulls.REFUSED);
        JsonNode body = body("{\"s\": \"x\", \"b\": false, \"o\": {}, \"a\": [1]}");
        assertThat(fields.text(body.get("s"), "s")).contains("x");
        assertThat(fields.bool(body.get("b"), "b")).contains(false);
        assertThat(fields.object(body.get("o"), "o")).isPresent();
        assertThat(fields.array(body.get("a"), "a")).isPresent();
        assertThat(fields.text(body.get("missing"), "missing")).isEmpty();
        assertThat(fields.bool(body.path("missing"), "missing")).isEmpty();
        assertThat(fields.hasProblems()).isFalse();
    }

    @Test
    void nullIsAbsentWhereTheBodySaysSoAndAWrongTypeWhereItIsRefused() {
        JsonNode body = body("{\"f\": null}");
        JsonFields sdkStyle = new JsonFields(Nulls.ABSENT);
        assertThat(sdkStyle.bool(body.get("f"), "f")).isEmpty();
        assertThat(sdkStyle.isAbsent(body.get("f"))).isTrue();
        assertThat(sdkStyle.hasProblems()).isFalse();

        JsonFields patch = new JsonFields(Nulls.REFUSED);
        assertThat(patch.isAbsent(body.get("f"))).isFalse();
        assertThat(patch.bool(body.get("f"), "f")).isEmpty();
        assertThat(problems(patch)).containsExactly(new ApiError.Entry("f", "f must be a boolean (true or false)"));
    }

    @Test
    void unknownFieldsAreNamedByPathAndTheMessageListsTheAllowedOnesInOrder() {
        JsonFields fields = new JsonFields(Nulls.ABSENT);
        JsonNode body = body("{\"to\": [{\"email\": \"a@b.example\", \"nmae\": \"A\"}], \"colour\": 1}");
        fields.refuseUnknown(body, "", List.of("to", "from"));
        fields.refuseUnknown(body.get("to").get(0), JsonFields.path("to", 0), List.of("email", "name"));

        assertThat(problems(fields)).containsExactly(
                new ApiError.Entry("colour", "unknown field; allowed: to, from"),
                new ApiError.Entry("to.0.nmae", "unknown field; allowed: email, name"));
    }

    @Test
    void fieldsAcceptedButNotAdvertisedAreNotListed() {
        JsonFields fields = new JsonFields(Nulls.REFUSED);
        fields.refuseUnknown(body("{\"open\": false, \"opne\": false}"), "",
                name -> name.equals("url") || name.equals("open"), List.of("url"));
        assertThat(problems(fields)).containsExactly(new ApiError.Entry("opne", "unknown field; allowed: url"));
    }

    @Test
    void absentNullEmptyTextAndEmptyContainersCarryNoMeaning() {
        JsonNode body = body("{\"n\": null, \"s\": \"\", \"a\": [], \"o\": {}, \"t\": \" \", \"f\": false, \"z\": 0}");
        JsonFields fields = new JsonFields(Nulls.ABSENT);
        for (String empty : List.of("missing", "n", "s", "a", "o")) {
            assertThat(fields.isEmpty(body.get(empty))).as(empty).isTrue();
        }
        for (String meaningful : List.of("t", "f", "z")) {
            assertThat(fields.isEmpty(body.get(meaningful))).as(meaningful).isFalse();
        }
        assertThat(new JsonFields(Nulls.REFUSED).isEmpty(body.get("n"))).as("null where it is refused").isFalse();
    }

    @Test
    void aFloodOfProblemsIsReportedAsTheFirstHundredAndACount() {
        JsonFields fields = new JsonFields(Nulls.ABSENT);
        for (int i = 0; i < 130; i++) {
            fields.problem("f" + i, "bad");
        }
        List<ApiError.Entry> reported = problems(fields);
        assertThat(reported).hasSize(JsonFields.MAX_REPORTED + 1);
        assertThat(reported.get(JsonFields.MAX_REPORTED)).isEqualTo(new ApiError.Entry(null, "30 more problems were not listed"));
    }

    @Test
    void controlCharactersOtherThanTabAreFound() {
        assertThat(JsonFields.hasControlCharacter("Subject\twith tab")).isFalse();
        assertThat(JsonFields.hasControlCharacter("Subject\r\nBcc: x@y")).isTrue();
        assertThat(JsonFields.hasControlCharacter("del\u007f")).isTrue();
        assertThat(JsonFields.hasControlCharacter("c1\u0085")).isTrue();
    }

    @Test
    void nothingRecordedThrowsNothing() {
        new JsonFields(Nulls.REFUSED).throwIfAny();
        assertThatThrownBy(() -> {
            JsonFields fields = new JsonFields(Nulls.REFUSED);
            fields.problem(null, "request body must name something");
            fields.throwIfAny();
        }).isInstanceOf(ApiException.class);
    }
}
