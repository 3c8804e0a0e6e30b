package io.letterlock.events.webhooks.api;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.WebhookSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings as SendGrid's {@code GET /v3/user/webhooks/event/settings} shows them, every field
 * SendGrid has (the engagement events always false here), OAuth's client id and token URL but never
 * its secret.
 */
public final class EventWebhookView {

    private EventWebhookView() {
    }

    public static Map<String, Object> of(WebhookSettings settings) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", settings.enabled());
        view.put("url", settings.url() == null ? "" : settings.url());
        view.put("group_resubscribe", false);
        view.put("delivered", settings.events().contains(EventType.DELIVERED));
        view.put("group_unsubscribe", false);
        view.put("spam_report", false);
        view.put("bounce", settings.events().contains(EventType.BOUNCE));
        view.put("deferred", settings.events().contains(EventType.DEFERRED));
        view.put("unsubscribe", false);
        view.put("processed", settings.events().contains(EventType.PROCESSED));
        view.put("open", false);
        view.put("click", false);
        view.put("dropped", settings.events().contains(EventType.DROPPED));
        view.put("oauth_client_id", settings.oauth() == null ? "" : settings.oauth().clientId());
        view.put("oauth_token_url", settings.oauth() == null ? "" : settings.oauth().tokenUrl());
        return view;
    }
}
