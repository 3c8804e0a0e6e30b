package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.WebhookSettings;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The batch "test your Event Webhook" sends: one made-up event of each type the account receives
 * (all five when it chose none yet), shaped like the real ones so a receiver's parser and signature
 * check meet what they will meet later.
 */
public final class SampleBatch {

    private SampleBatch() {
    }

    /** The body of the POST: a JSON array of sample events. */
    public static byte[] of(WebhookSettings settings, Instant now) {
        Set<EventType> types = settings.events().isEmpty() ? EnumSet.allOf(EventType.class) : settings.events();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        boolean first = true;
        for (EventType type : types) {
            MailEvent.Builder event = MailEvent.builder(type, "example@test.com").accountId(settings.accountId())
                    .timestamp(now).sgMessageId("test." + UUID.randomUUID()).smtpId("<test@letterlock.test>");
            if (type == EventType.BOUNCE) {
                event.type(BounceType.BOUNCE).reason("550 5.1.1 sample bounce").status("5.1.1");
            } else if (type == EventType.DROPPED) {
                event.reason("sample drop");
            } else if (type == EventType.DELIVERED) {
                event.response("250 2.0.0 OK sample").tls(true).certErr(false);
            } else if (type == EventType.DEFERRED) {
                event.response("451 4.3.0 sample deferral").attempt(1);
            }
            if (!first) {
                body.write(',');
            }
            body.writeBytes(Json.toBytes(event.build()));
            first = false;
        }
        body.write(']');
        return body.toByteArray();
    }
}
