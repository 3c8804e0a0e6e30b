package io.letterlock.events;

import io.letterlock.events.activity.store.MessageQuery;
import io.letterlock.events.report.store.TlsReportRequest;
import io.letterlock.events.webhooks.api.EventWebhookPatch;
import io.letterlock.service.error.ApiException;
import io.letterlock.testkit.input.RandomInputs;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * events-service's request parsers under inputs a careless or hostile caller could send: a value or
 * a 400, never another exception (which the API would answer with a 500). Two such 500s were found
 * by hand ({@code from=-999999999-01-01}, an {@code oauth_token_url} that is no URL); these look for
 * the next one.
 */
class RequestParsersInputsTest {

    private static final long SEED = 20261203L;

    private static void refusedWith400(Runnable parse) {
        try {
            parse.run();
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    @Test
    void tlsReportParametersAreAReportRequestOrA400() {
        LocalDate today = LocalDate.of(2026, 12, 3);
        RandomInputs.check(SEED, 5_000, inputs -> {
            List<String> parameters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                parameters.add(inputs.coin() ? null : inputs.text());
            }
            return parameters;
        }, p -> refusedWith400(() -> {
            TlsReportRequest request = TlsReportRequest.parse(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), today);
            // What the store is then asked must be askable: days Kafka's windows can hold.
            request.start().toEpochMilli();
            request.lastWindowStart().toEpochMilli();
        }));
    }

    @Test
    void activityQueriesAreAQueryOrA400() {
        RandomInputs.check(SEED, 5_000, inputs -> inputs.coin() ? inputs.text()
                        : inputs.oneOf(List.of("to_email=", "status=", "last_event_time BETWEEN ", "msg_id=", " AND ", "("))
                        + "\"" + inputs.text() + "\"" + (inputs.coin() ? "" : inputs.text()),
                text -> refusedWith400(() -> MessageQuery.parse(text)));
    }

    @Test
    void eventWebhookPatchesAreAPatchOrA400() {
        RandomInputs.check(SEED, 5_000, inputs -> inputs.body(List.of("enabled", "url", "delivered", "bounce",
                        "processed", "deferred", "dropped", "open", "oauth_client_id", "oauth_client_secret",
                        "oauth_token_url")),
                body -> refusedWith400(() -> EventWebhookPatch.parse(body)));
    }
}
