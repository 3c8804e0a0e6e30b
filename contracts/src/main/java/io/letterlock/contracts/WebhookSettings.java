package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One account's Event Webhook subscription: where its events go, which of them, and how each POST
 * is signed. The value of a record on {@link Topics#WEBHOOKS}, keyed by account id; events-service
 * is the only writer and the only reader.
 *
 * <p>It carries secrets (the ECDSA private key, the Standard Webhooks secrets, the OAuth client
 * secret): the topic must be readable by events-service alone, and {@link #toString()} leaves
 * them out so that a logged record never shows one.
 *
 * @param accountId         the account these settings belong to
 * @param url               where batches are POSTed; null until set
 * @param enabled           whether events are sent at all
 * @param events            the event types sent; the others are not
 * @param signing           SendGrid's ECDSA signature; null when off
 * @param standardWebhooks  Standard Webhooks HMAC secrets, newest first (several while a secret is
 *                          being rotated, all of them sign); empty when off
 * @param oauth             OAuth 2.0 client credentials whose token goes in Authorization; null when off
 * @param updatedAt         when events-service accepted the change; null for the built-in default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookSettings(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("url") String url,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("events") Set<EventType> events,
        @JsonProperty("signing") EcdsaSigning signing,
        @JsonProperty("standard_webhooks") List<StandardWebhooksSecret> standardWebhooks,
        @JsonProperty("oauth") OAuthClient oauth,
        @JsonProperty("updated_at") Instant updatedAt) {

    public WebhookSettings {
        Objects.requireNonNull(accountId, "accountId");
        // In the enum's order, so the same settings always serialise the same way.
        events = events == null || events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
        standardWebhooks = standardWebhooks == null ? List.of() : List.copyOf(standardWebhooks);
    }

    /** Nothing is sent until the account sets a URL and enables it. */
    public static WebhookSettings defaults(String accountId) {
        return new WebhookSettings(accountId, null, false, Set.of(), null, List.of(), null, null);
    }

    /** The same settings, stamped with another time of change. */
    public WebhookSettings withUpdatedAt(Instant time) {
        return new WebhookSettings(accountId, url, enabled, events, signing, standardWebhooks, oauth, time);
    }

    /** The same subscription turned off (its endpoint answered 410 Gone), changed at {@code time}. */
    public WebhookSettings disabled(Instant time) {
        return new WebhookSettings(accountId, url, false, events, signing, standardWebhooks, oauth, time);
    }

    /** True if an event of this type is to be POSTed now. */
    public boolean wants(EventType type) {
        return enabled && url != null && events.contains(type);
    }

    @Override
    public String toString() {
        return "WebhookSettings[accountId=" + accountId + ", url=" + url + ", enabled=" + enabled + ", events=" + events
                + ", signed=" + (signing != null) + ", standardWebhooksSecrets=" + standardWebhooks.size()
                + ", oauth=" + (oauth == null ? "off" : oauth.tokenUrl()) + ", updatedAt=" + updatedAt + "]";
    }

    /**
     * SendGrid's signed Event Webhook: an ECDSA P-256 key pair made by events-service.
     *
     * @param publicKey  base64 of the X.509 SubjectPublicKeyInfo DER, as SendGrid's API returns it
     * @param privateKey base64 of the PKCS#8 DER; secret
     * @param createdAt  when the pair was made
     */
    public record EcdsaSigning(
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("private_key") String privateKey,
            @JsonProperty("created_at") Instant createdAt) {

        public EcdsaSigning {
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public String toString() {
            return "EcdsaSigning[publicKey=" + publicKey + ", createdAt=" + createdAt + "]";
        }
    }

    /**
     * A Standard Webhooks signing secret.
     *
     * @param secret    {@code whsec_} followed by the base64 key; secret
     * @param createdAt when it was made
     * @param expiresAt when it stops signing (an old secret during rotation); null for the current one
     */
    public record StandardWebhooksSecret(
            @JsonProperty("secret") String secret,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("expires_at") Instant expiresAt) {

        public StandardWebhooksSecret {
            Objects.requireNonNull(secret, "secret");
        }

        public boolean activeAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "StandardWebhooksSecret[createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * OAuth 2.0 client credentials (RFC 6749 §4.4) for the receiver's token endpoint.
     *
     * @param tokenUrl     the token endpoint
     * @param clientId     the client id
     * @param clientSecret the client secret; secret
     */
    public record OAuthClient(
            @JsonProperty("token_url") String tokenUrl,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret) {

        public OAuthClient {
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        @Override
        public String toString() {
            return "OAuthClient[tokenUrl=" + tokenUrl + ", clientId=" + clientId + "]";
        }
    }
}
