package io.letterlock.delivery.intake.api;

import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.delivery.intake.config.IntakeConfig;
import io.letterlock.delivery.intake.limit.AccountSendLimits;
import io.letterlock.delivery.intake.limit.TooManyRequests;
import io.letterlock.delivery.intake.service.MailIntake;
import io.letterlock.delivery.intake.service.MailSendRequest;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;

/**
 * SendGrid's v3 mail send, {@code POST /v3/mail/send}: 202 with an {@code X-Message-Id} header and
 * no body once every recipient's job is on Kafka; 400 listing every problem, 413 for a body,
 * message or request too large, 429 with {@code Retry-After} when the account is sending faster
 * than it may or has too many requests in progress, 503 when Kafka failed; in each of those
 * nothing is sent. A {@code batch_id} must be one the caller created ({@code POST /v3/mail/batch}
 * on policy-service), or the request is refused with 400: its sender could not pause or cancel it.
 */
@Path("/v3/mail/send")
public class MailSendResource {

    static final String MESSAGE_ID_HEADER = "X-Message-Id";

    private final MailIntake intake;
    private final Caller caller;
    private final IntakeConfig config;
    private final AccountSendLimits limits;
    private final BatchViews batches;
    private final Clock clock;

    public MailSendResource(MailIntake intake, Caller caller, IntakeConfig config, AccountSendLimits limits,
                            BatchViews batches, Clock clock) {
        this.batches = batches;
        this.intake = intake;
        this.caller = caller;
        this.config = config;
        this.limits = limits;
        this.clock = clock;
    }

    /** Any Content-Type: curl's -d sends a form type, and the body is JSON whatever it says. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(InputStream body) {
        String accountId = caller.accountId();
        // Counted before the body is read: a body arriving slowly holds this thread all along.
        try (AccountSendLimits.InProgress inProgress = limits.enter(accountId)) {
            byte[] bytes = LimitedBody.read(body, config.maxBodySize().asLongValue());
            Instant now = clock.instant();
            MailSendRequest request = MailSendReader.read(JsonBody.object(bytes), now);
            if (request.batchId() != null && !batches.isKnown(accountId, request.batchId())) {
                // SendGrid's answer to a batch id that is not the caller's (tsg_mail_v3: "invalid batch id").
                throw ApiException.badRequest("batch_id", "invalid batch id: create one with POST /v3/mail/batch");
            }
            if (request.sandbox()) {
                intake.check(accountId, request, now);
                return Response.ok().build(); // SendGrid: 200 rather than 202, no message id
            }
            String messageId = intake.accept(accountId, request, now);
            return Response.accepted().header(MESSAGE_ID_HEADER, messageId).build();
        } catch (TooManyRequests e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .header(TooManyRequests.RETRY_AFTER_HEADER, e.retryAfterSeconds())
                    .entity(e.body()).build();
        }
    }
}
