package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSettingsTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

    private static WebhookSettings full() {
        return new WebhookSettings("acct-1", "https://hooks.example.com/sg", true,
                Set.of(EventType.DELIVERED, EventType.BOUNCE),
                new WebhookSettings.EcdsaSigning("PUBLIC", "PRIVATE-KEY-MATERIAL", AT),
                List.of(new WebhookSettings.StandardWebhooksSecret("whsec_NEWSECRET", AT, null),
                        new WebhookSettings.StandardWebhooksSecret("whsec_OLDSECRET", AT.minusSeconds(3600), AT.plusSeconds(86400))),
                new WebhookSettings.OAuthClient("https://auth.example.com/token", "client-1", "CLIENT-SECRET"), AT);
    }

    private static WebhookSettings another() {
        return WebhookSettings.created("acct-1", "6f1c2d3e-0000-4000-8000-000000000001", AT)
                .with("https://hooks.example.com/other", true, Set.of(EventType.DROPPED), null, List.of(), null, AT)
                .withFriendlyName("Drops", AT);
    }

    @Test
    void survivesARoundTrip() {
        assertThat(Json.fromBytes(Json.toBytes(another()), WebhookSettings.class)).isEqualTo(another());
        assertThat(Json.fromBytes(Json.toBytes(full()), WebhookSettings.class)).isEqualTo(full());
        assertThat(Json.fromBytes(Json.toBytes(WebhookSettings.defaults("acct-2")), WebhookSettings.class))
                .isEqualTo(WebhookSettings.defaults("acct-2"));
    }

    @Test
    void writesJsonThatMatchesItsSchemaWithEventNamesAsSendGridSpellsThem() {
        assertThat(Schemas.validate(Schemas.WEBHOOK_SETTINGS, Json.toBytes(full()))).isEmpty();
        assertThat(Schemas.validate(Schemas.WEBHOOK_SETTINGS, Json.toBytes(another()))).isEmpty();
        assertThat(Schemas.validate(Schemas.WEBHOOK_SETTINGS, Json.toBytes(WebhookSettings.defaults("acct-2")))).isEmpty();
        assertThat(Schemas.tree(Json.toBytes(full())).get("events").toString()).contains("\"delivered\"", "\"bounce\"");
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.WEBHOOK_SETTINGS))
                .containsAll(() -> Schemas.tree(Json.toBytes(full())).fieldNames())
                .containsAll(() -> Schemas.tree(Json.toBytes(another())).fieldNames());
    }

    @Test
    void readsARecordWrittenBeforeSeveralWebhooksAsTheAccountsFirst() {
        String json = """
                {"account_id":"acct-1","url":"https://hooks.example.com/sg","enabled":true,"events":["delivered"],\
                "updated_at":"2026-11-29T10:00:00Z"}""";

        WebhookSettings old = Json.fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), WebhookSettings.class);

        assertThat(old.keyedByAccountId()).isTrue();
        assertThat(old.topicKey()).isEqualTo("acct-1");
        assertThat(old.webhookId()).isNull();
        assertThat(old.wants(EventType.DELIVERED)).isTrue();
    }

    @Test
    void anotherWebhookIsKeyedByAccountAndIdAndKeepsItsIdentityThroughChanges() {
        assertThat(another().topicKey()).isEqualTo("acct-1/6f1c2d3e-0000-4000-8000-000000000001");
        WebhookSettings changed = another().disabled(AT.plusSeconds(5));
        assertThat(changed.topicKey()).isEqualTo(another().topicKey());
        assertThat(changed.friendlyName()).isEqualTo("Drops");
        assertThat(changed.createdAt()).isEqualTo(AT);
        assertThat(Schemas.tree(Json.toBytes(full())).has("keyed_by_account")).isFalse();
    }

    @Test
    void schemaRefusesAUrlThatIsNotHttp() {
        String json = """
                {"account_id":"acct-1","enabled":true,"url":"ftp://hooks.example.com/"}""";

        assertThat(Schemas.validate(Schemas.WEBHOOK_SETTINGS, json)).isNotEmpty();
    }

    @Test
    void neverShowsASecretWhenPrinted() {
        String printed = full().toString();

        assertThat(printed).doesNotContain("PRIVATE-KEY-MATERIAL", "whsec_", "CLIENT-SECRET")
                .contains("https://hooks.example.com/sg", "signed=true", "standardWebhooksSecrets=2");
        assertThat(full().signing().toString()).doesNotContain("PRIVATE-KEY-MATERIAL");
        assertThat(full().oauth().toString()).doesNotContain("CLIENT-SECRET");
    }

    @Test
    void wantsOnlyChosenEventsWhenEnabledWithAUrl() {
        assertThat(full().wants(EventType.DELIVERED)).isTrue();
        assertThat(full().wants(EventType.DEFERRED)).isFalse();
        assertThat(WebhookSettings.defaults("acct-2").wants(EventType.DELIVERED)).isFalse();
    }
}
