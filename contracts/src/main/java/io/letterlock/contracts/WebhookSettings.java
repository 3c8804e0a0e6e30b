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
 * One of an account's Event Webhooks: where its events go, which of them, and how each POST is
 * signed. The value of a record on {@link Topics#WEBHOOKS}; events-service is the only writer and
 * the only reader. An account has up to a configured number of webhooks (SendGrid's
 * {@code max_allowed}). The first, and the only one records written before several existed
 * describe, is keyed by the account id alone; the others by {@code <account id>/<webhook id>}
 * ({@link #topicKey()}). Every record of an account is written to the partition of its account id,
 * so that writes to one account's webhooks take turns (a limit on their number holds across
 * replicas).
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
 * @param webhookId         the webhook's id in the API, random (unguessable); null in a record written
 *                          before an account could have several webhooks (events-service then derives
 *                          one from the account id) and in the built-in default
 * @param friendlyName      SendGrid's optional name for people; null when none
 * @param createdAt         when the webhook was created; null in a record written before an account
 *                          could have several webhooks (it is the account's first)
 * @param keyedByAccount    false when the record is keyed {@code <account id>/<webhook id>}: where
 *                          the record lives on the topic, never changed after creation
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
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("friendly_name") String friendlyName,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("keyed_by_account") Boolean keyedByAccount) {

    /** The settings of the account's first webhook, keyed by the account id (as before several existed). */
    public WebhookSettings(String accountId, String url, boolean enabled, Set<EventType> events, EcdsaSigning signing,
                           List<StandardWebhooksSecret> standardWebhooks, OAuthClient oauth, Instant updatedAt) {
        this(accountId, url, enabled, events, signing, standardWebhooks, oauth, updatedAt, null, null, null, null);
    }

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

    /** A new webhook, nothing set yet, keyed {@code <account id>/<webhook id>}. */
    public static WebhookSettings created(String accountId, String webhookId, Instant createdAt) {
        return new WebhookSettings(accountId, null, false, Set.of(), null, List.of(), null, createdAt,
                Objects.requireNonNull(webhookId, "webhookId"), null, createdAt, false);
    }

    /** Where this record lives on {@link Topics#WEBHOOKS}. */
    public String topicKey() {
        return topicKey(accountId, keyedByAccountId() ? null : webhookId);
    }

    /** The key of an account's webhook: the account id for its first ({@code webhookId} null). */
    public static String topicKey(String accountId, String webhookId) {
        return webhookId == null ? accountId : accountId + "/" + webhookId;
    }

    /** True for the account's first webhook, keyed by the account id alone (every record written before Step 11). */
    public boolean keyedByAccountId() {
        return keyedByAccount == null || keyedByAccount;
    }

    /** The same settings, stamped with another time of change. */
    public WebhookSettings withUpdatedAt(Instant time) {
        return new WebhookSettings(accountId, url, enabled, events, signing, standardWebhooks, oauth, time, webhookId,
                friendlyName, createdAt, keyedByAccount);
    }

    /** The same subscription turned off (its endpoint answered 410 Gone), changed at {@code time}. */
    public WebhookSettings disabled(Instant time) {
        return new WebhookSettings(accountId, url, false, events, signing, standardWebhooks, oauth, time, webhookId,
                friendlyName, createdAt, keyedByAccount);
    }

    /**
     * The same webhook with other settings, its identity (id, name, creation, key) kept: what every
     * change of the settings API builds.
     */
    public WebhookSettings with(String url, boolean enabled, Set<EventType> events, EcdsaSigning signing,
                                List<StandardWebhooksSecret> standardWebhooks, OAuthClient oauth, Instant updatedAt) {
        return new WebhookSettings(accountId, url, enabled, events, signing, standardWebhooks, oauth, updatedAt,
                webhookId, friendlyName, createdAt, keyedByAccount);
    }

    /** The same webhook under another friendly name (null: none). */
    public WebhookSettings withFriendlyName(String name, Instant time) {
        return new WebhookSettings(accountId, url, enabled, events, signing, standardWebhooks, oauth, time, webhookId,
                name, createdAt, keyedByAccount);
    }

    /** The same webhook with its id (and creation time, when it had none) recorded. */
    public WebhookSettings withIdentity(String id, Instant created) {
        return new WebhookSettings(accountId, url, enabled, events, signing, standardWebhooks, oauth, updatedAt, id,
                friendlyName, createdAt == null ? created : createdAt, keyedByAccount);
    }

    /** True if an event of this type is to be POSTed now. */
    public boolean wants(EventType type) {
        return enabled && url != null && events.contains(type);
    }

    @Override
    public String toString() {
        return "WebhookSettings[accountId=" + accountId + ", url=" + url + ", enabled=" + enabled + ", events=" + events
                + ", signed=" + (signing != null) + ", standardWebhooksSecrets=" + standardWebhooks.size()
                + ", oauth=" + (oauth == null ? "off" : oauth.tokenUrl()) + ", updatedAt=" + updatedAt
                + ", webhookId=" + webhookId + ", friendlyName=" + friendlyName + ", createdAt=" + createdAt
                + ", keyedByAccount=" + keyedByAccountId() + "]";
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
