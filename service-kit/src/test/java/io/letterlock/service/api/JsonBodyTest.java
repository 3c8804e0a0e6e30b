package io.letterlock.service.api;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonBodyTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | request body must be a JSON object
            '[]'                        | request body must be a JSON object
            'null'                      | request body must be a JSON object
            '"text"'                    | request body must be a JSON object
            '{"a": '                    | request body is not valid JSON
            '{"a": 1, "a": 2}'          | request body is not valid JSON
            """)
    void aBodyThatIsNotOneJsonObjectGetsOne400WithoutAField(String body, String message) {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> JsonBody.object(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().errors()).containsExactly(new ApiError.Entry(null, message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            '{}'
            '{"a": [1, {"b": null}]}'
            """)
    void aJsonObjectIsReadAsSent(String body) {
        assertThat(JsonBody.object(body.getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo(body.replace(" ", ""));
    }
}
