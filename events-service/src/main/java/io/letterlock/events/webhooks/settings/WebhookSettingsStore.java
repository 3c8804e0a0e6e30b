package io.letterlock.events.webhooks.settings;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Each account's Event Webhooks, read from the view and changed through Kafka. A change is made to
 * a webhook as Kafka holds it, whichever replica wrote it last, so two PATCHes on two replicas (or
 * on one) never lose each other's fields; and since every key of an account is written to the
 * account id's partition, a change may rely on all of the account's webhooks (their number).
 *
 * <p>Keys: the account's first webhook (and every record written before an account could have
 * several) is keyed by the account id, the others by {@code <account id>/<webhook id>}. A record
 * without a webhook id (written before) gets one derived from the account id, kept at its next
 * write; every webhook made since has a random one. Ids are looked up only among the caller's own
 * webhooks, so another account's id is simply not found.
 */
@ApplicationScoped
public class WebhookSettingsStore {

    /** SendGrid's "Invalid id provided." for an id the account does not have. */
    public static final String INVALID_ID = "Invalid id provided.";
    /**
     * SendGrid's order for "your oldest webhook by created_date": a record written before webhooks
     * had creation times is the account's first; ties (one millisecond) go to the first-keyed one.
     */
    static final Comparator<WebhookSettings> OLDEST_FIRST = Comparator
            .comparing(WebhookSettings::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(webhook -> !webhook.keyedByAccountId())
            .thenComparing(WebhookSettings::webhookId, Comparator.nullsFirst(Comparator.naturalOrder()));
    /** How often a single-webhook change is decided again when the account's oldest webhook changed meanwhile. */
    private static final int RETARGETS = 5;

    private final WebhookTopics topics;
    private final Clock clock;

    public WebhookSettingsStore(WebhookTopics topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
    }

    /**
     * What a change decided from the settings it was shown: the settings wanted, and what to answer
     * the caller once they are stored.
     */
    public record Decided<R>(WebhookSettings settings, R answer) {
    }

    /**
     * The webhook the single-webhook endpoints act on, as SendGrid's do without an id: the oldest by
     * creation; for an account without any, "nothing sent" (keyed by the account id once written).
     */
    public WebhookSettings get(String accountId) {
        List<WebhookSettings> all = all(accountId);
        return all.isEmpty() ? WebhookSettings.defaults(accountId) : all.get(0);
    }

    /** The account's webhooks, oldest first. */
    public List<WebhookSettings> all(String accountId) {
        List<WebhookSettings> all = new ArrayList<>(forDispatch(accountId));
        all.sort(OLDEST_FIRST);
        return all;
    }

    /**
     * The account's webhooks in key order, for the dispatcher's every event: no sorting, and no
     * allocation for an account without webhooks.
     */
    public List<WebhookSettings> forDispatch(String accountId) {
        Optional<WebhookSettings> first = topics.settings().get(accountId).map(stored -> resolved(accountId, stored));
        var others = topics.settings().withPrefix(accountId + "/");
        if (others.isEmpty()) {
            return first.map(List::of).orElse(List.of());
        }
        List<WebhookSettings> all = new ArrayList<>(others.size() + 1);
        first.ifPresent(all::add);
        // An account id with a "/" in it would otherwise see another account's webhooks.
        others.values().stream().filter(webhook -> webhook.accountId().equals(accountId)).forEach(all::add);
        return all;
    }

    /** One of the account's webhooks by id; empty for an id the account does not have. */
    public Optional<WebhookSettings> find(String accountId, String webhookId) {
        return forDispatch(accountId).stream().filter(webhook -> webhookId.equals(webhook.webhookId())).findFirst();
    }

    /** One of the account's webhooks by id. @throws ApiException 404 when the account has no such webhook */
    public WebhookSettings require(String accountId, String webhookId) {
        return find(accountId, webhookId).orElseThrow(() -> ApiException.notFound(null, INVALID_ID));
    }

    /**
     * The webhook stored under a key of the account, as delivery needs it for a batch made for that
     * key; "nothing sent" once it is deleted.
     */
    public WebhookSettings byKey(String accountId, String key) {
        return topics.settings().get(key).filter(webhook -> webhook.accountId().equals(accountId))
                .map(stored -> resolved(accountId, stored)).orElseGet(() -> WebhookSettings.defaults(accountId));
    }

    /**
     * Changes the account's oldest webhook (SendGrid's single-webhook endpoints) and returns it as
     * stored.
     *
     * @param change the new settings from the current ones; when they differ from the current ones
     *               only in {@code updatedAt}, nothing is written and the current settings are returned
     * @see #change(String, Function)
     */
    public WebhookSettings update(String accountId, UnaryOperator<WebhookSettings> change) {
        return change(accountId, unlessUnchanged(change));
    }

    /**
     * Decides a change of the account's oldest webhook from its settings as Kafka holds them and
     * stores it, taking turns with the other replicas' writes to the same partition
     * ({@code FencedViewWriter}). An account without webhooks gets its first, keyed by the account id.
     *
     * @param change runs again, on fresher settings, each time another replica wrote first, so it
     *               must have no effect besides its answer (a secret it makes is in its answer, not
     *               kept aside); what it throws is thrown from here. When the settings it decides
     *               differ from the current ones only in {@code updatedAt}, nothing is written.
     * @return the answer of the decision that was stored (or kept)
     * @throws ApiException 503 when Kafka did not take the write or other replicas kept writing
     *                      first; nothing changed
     */
    public <R> R change(String accountId, Function<WebhookSettings, Decided<R>> change) {
        for (int attempt = 1; attempt <= RETARGETS; attempt++) {
            String key = get(accountId).topicKey();
            // The oldest may have been deleted (or the first made) since the key was chosen.
            Optional<R> answer = write(accountId, key, () -> Optional.of(get(accountId))
                    .filter(oldest -> oldest.topicKey().equals(key)), change);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        throw ApiException.unavailable("the account's webhooks kept changing while this change was decided; "
                + "nothing changed");
    }

    /**
     * Changes one of the account's webhooks by id and returns it as stored.
     *
     * @throws ApiException 404 when the account has no such webhook (or it was deleted meanwhile)
     * @see #change(String, Function)
     */
    public WebhookSettings update(String accountId, String webhookId, UnaryOperator<WebhookSettings> change) {
        return change(accountId, webhookId, unlessUnchanged(change));
    }

    /** As {@link #change(String, Function)}, on one of the account's webhooks by id. */
    public <R> R change(String accountId, String webhookId, Function<WebhookSettings, Decided<R>> change) {
        String key = require(accountId, webhookId).topicKey();
        return write(accountId, key, () -> find(accountId, webhookId), change)
                .orElseThrow(() -> ApiException.notFound(null, INVALID_ID));
    }

    /**
     * Makes a new webhook for the account, keyed {@code <account id>/<random id>}, unless the
     * account has {@code maxAllowed} already.
     *
     * @param fill the new webhook's settings from an empty one that already has its id and creation time
     * @throws ApiException 400 with SendGrid's message when the account has {@code maxAllowed} webhooks
     */
    public WebhookSettings create(String accountId, int maxAllowed, Instant now, UnaryOperator<WebhookSettings> fill) {
        String webhookId = UUID.randomUUID().toString();
        WebhookSettings created = WebhookSettings.created(accountId, webhookId, now);
        return topics.update(accountId, created.topicKey(), () -> {
            // Decided under the account partition's turn: two creates on two replicas count each other.
            if (forDispatch(accountId).size() >= maxAllowed) {
                throw ApiException.badRequest(null,
                        "You have reached the maximum number of webhooks per your current billing plan.");
            }
            WebhookSettings filled = fill.apply(created);
            return Decision.write(Json.toBytes(filled), filled);
        }).result();
    }

    /** @throws ApiException 404 when the account has no such webhook */
    public void delete(String accountId, String webhookId) {
        String key = require(accountId, webhookId).topicKey();
        boolean deleted = topics.update(accountId, key, () -> find(accountId, webhookId).isPresent()
                ? Decision.delete(true) : Decision.keep(false)).result();
        if (!deleted) {
            throw ApiException.notFound(null, INVALID_ID);
        }
    }

    /** Changes the webhook stored under a key of the account, if it is still there (delivery's 410 Gone). */
    public void updateByKey(String accountId, String key, UnaryOperator<WebhookSettings> change) {
        write(accountId, key, () -> topics.settings().get(key).filter(webhook -> webhook.accountId().equals(accountId))
                .map(stored -> resolved(accountId, stored)), unlessUnchanged(change));
    }

    /**
     * Decides from the webhook {@code current} finds (empty: nothing written, empty answer) and
     * writes it under {@code key}, on the account's partition.
     */
    private <R> Optional<R> write(String accountId, String key, Supplier<Optional<WebhookSettings>> current,
                                  Function<WebhookSettings, Decided<R>> change) {
        return topics.update(accountId, key, () -> {
            Optional<WebhookSettings> found = current.get();
            if (found.isEmpty()) {
                return Decision.keep(Optional.<R>empty());
            }
            // An account's first webhook, written for the first time, gets a random id, created now;
            // given before deciding, so the answer shows what is stored.
            WebhookSettings before = found.get().webhookId() != null ? found.get()
                    : found.get().withIdentity(UUID.randomUUID().toString(), clock.instant());
            Decided<R> decided = change.apply(before);
            return unchanged(before, decided.settings()) ? Decision.keep(Optional.of(decided.answer()))
                    : Decision.write(Json.toBytes(decided.settings()), Optional.of(decided.answer()));
        }).result();
    }

    private static Function<WebhookSettings, Decided<WebhookSettings>> unlessUnchanged(
            UnaryOperator<WebhookSettings> change) {
        return current -> {
            WebhookSettings updated = change.apply(current);
            return new Decided<>(updated, unchanged(current, updated) ? current : updated);
        };
    }

    /** A record written before webhooks had ids: the id it is known by from now on, derived from the account. */
    private static WebhookSettings resolved(String accountId, WebhookSettings stored) {
        return stored.webhookId() != null ? stored : stored.withIdentity(legacyId(accountId), null);
    }

    /**
     * The id of a record written before webhooks had ids. Derived, so every replica shows the same
     * one before it is stored; not secret, but ids are only ever looked up among the caller's own
     * webhooks, so knowing another account's gets nothing.
     */
    static String legacyId(String accountId) {
        return UUID.nameUUIDFromBytes(("letterlock-webhook:" + accountId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static boolean unchanged(WebhookSettings current, WebhookSettings updated) {
        return updated.equals(current.withUpdatedAt(updated.updatedAt()));
    }
}
