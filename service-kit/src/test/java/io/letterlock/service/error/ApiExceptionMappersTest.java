package io.letterlock.service.error;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionMappersTest {

    private final ApiExceptionMappers mappers = new ApiExceptionMappers();

    @Test
    void unavailableWithAWaitAnswersRetryAfterInWholeSecondsRoundedUp() {
        Response response = mappers.apiException(ApiException.unavailable("busy", Duration.ofMillis(1500)));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(((ApiError) response.getEntity()).errors().get(0).message()).isEqualTo("busy");
    }

    @Test
    void retryAfterIsNeverZero() {
        Response response = mappers.apiException(ApiException.unavailable("busy", Duration.ofMillis(10)));

        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void otherErrorsCarryNoRetryAfter() {
        assertThat(mappers.apiException(ApiException.unavailable("down")).getHeaderString("Retry-After")).isNull();
        assertThat(mappers.apiException(ApiException.badRequest("f", "bad")).getHeaderString("Retry-After")).isNull();
    }
}
