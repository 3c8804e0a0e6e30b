package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.WebhookSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Standard Webhooks signing as {@code …/settings/standard_webhooks} shows it. */
@Schema(name = "StandardWebhooks", description = "Whether webhook-signature headers are sent, and when each "
        + "signing secret was made and stops signing.")
public record StandardWebhooksBody(
        @Schema(description = "True while a secret signs.") @JsonProperty("enabled") boolean enabled,
        @Schema(description = "The whsec_ secret this call made; shown only then, absent otherwise.")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("secret") String secret,
        @Schema(description = "The secrets that sign now, newest first.") @JsonProperty("secrets") List<Secret> secrets) {

    /** One signing secret, without the secret itself. */
    @Schema(name = "StandardWebhooksSecret")
    public record Secret(
            @Schema(description = "ISO-8601") @JsonProperty("created_at") String createdAt,
            @Schema(description = "ISO-8601; null while it is the current secret") @JsonProperty("expires_at") String expiresAt) {
    }

    static StandardWebhooksBody of(WebhookSettings settings, Optional<String> madeNow, Instant now) {
        List<Secret> secrets = settings.standardWebhooks().stream().filter(secret -> secret.activeAt(now))
                .map(secret -> new Secret(text(secret.createdAt()), text(secret.expiresAt()))).toList();
        return new StandardWebhooksBody(!secrets.isEmpty(), madeNow.orElse(null), secrets);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
