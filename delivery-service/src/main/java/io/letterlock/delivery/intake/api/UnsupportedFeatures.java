package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;

import java.util.List;
import java.util.Map;

/**
 * The v3 features Letterlock does not implement, and what a request that uses them gets. The rule:
 * a feature that would change the message, who receives it, or what the sender is promised is
 * refused with 400 and "not supported", never silently dropped; a setting is accepted only when
 * leaving it out changes nothing the recipient or the sender relies on. An empty value (null,
 * {@code ""}, {@code []}, {@code {}}) uses nothing and is accepted, since SDKs often write them.
 */
final class UnsupportedFeatures {

    /** Top-level fields that are refused whenever they carry a value, with the reason given. */
    private static final Map<String, String> REFUSED = Map.of(
            "template_id", "templates are not supported; send the content itself",
            "sections", "sections (substitution templates) are not supported",
            "ip_pool_name", "ip_pool_name is not supported: Letterlock sends from the delivery service's own addresses",
            "reply_to_list", "reply_to_list is not supported; use reply_to");
    /** Personalization fields that are refused whenever they carry a value. */
    private static final Map<String, String> REFUSED_IN_PERSONALIZATION = Map.of(
            "substitutions", "substitutions are not supported",
            "dynamic_template_data", "dynamic templates are not supported; send the content itself");

    /**
     * mail_settings that may be enabled: the bypass_* settings lift the suppression lists for the
     * message, as at SendGrid (the worker's SuppressionDecisions); sandbox_mode validates and sends
     * nothing, as at SendGrid. footer and spam_check would change the message or whether it is sent
     * at all, so enabling them is refused.
     */
    private static final List<String> MAIL_SETTINGS_ACCEPTED = List.of("bypass_list_management",
            "bypass_spam_management", "bypass_bounce_management", "bypass_unsubscribe_management",
            MailSendReader.SANDBOX_MODE, MailSendReader.REQUIRETLS);
    private static final List<String> MAIL_SETTINGS_REFUSED = List.of("footer", "spam_check");
    /**
     * tracking_settings that may be enabled and are ignored: Letterlock never rewrites links or adds
     * pixels, so the recipient gets the message exactly as written and the sender gets no open or
     * click events (which it could not get anyway). subscription_tracking is refused: it would add
     * the unsubscribe link the sender may rely on to comply with anti-spam law.
     */
    private static final List<String> TRACKING_ACCEPTED = List.of("click_tracking", "open_tracking", "ganalytics");
    private static final List<String> TRACKING_REFUSED = List.of("subscription_tracking");

    private UnsupportedFeatures() {
    }

    /**
     * A top-level field of SendGrid's that Letterlock refuses unless it is empty: not an unknown
     * field, though not one an unknown field's error lists as allowed.
     */
    static boolean isRefusedField(String name) {
        return REFUSED.containsKey(name);
    }

    /** As {@link #isRefusedField}, for a personalization's fields. */
    static boolean isRefusedInPersonalization(String name) {
        return REFUSED_IN_PERSONALIZATION.containsKey(name);
    }

    static void checkRequest(JsonNode request, JsonFields fields) {
        refuseUsed(request, "", REFUSED, fields);
        checkSettings(request.get("mail_settings"), "mail_settings", MAIL_SETTINGS_ACCEPTED,
                MAIL_SETTINGS_REFUSED, fields);
        checkSettings(request.get("tracking_settings"), "tracking_settings", TRACKING_ACCEPTED,
                TRACKING_REFUSED, fields);
    }

    static void checkPersonalization(JsonNode personalization, String path, JsonFields fields) {
        refuseUsed(personalization, path, REFUSED_IN_PERSONALIZATION, fields);
    }

    private static void refuseUsed(JsonNode object, String path, Map<String, String> refused, JsonFields fields) {
        refused.forEach((name, why) -> {
            if (!fields.isEmpty(object.get(name))) {
                fields.problem(JsonFields.path(path, name), why);
            }
        });
    }

    private static void checkSettings(JsonNode node, String path, List<String> accepted, List<String> refused,
                                      JsonFields fields) {
        fields.object(node, path).ifPresent(settings -> {
            // The refused settings are known (they may be disabled), but not listed as allowed.
            fields.refuseUnknown(settings, path, name -> accepted.contains(name) || refused.contains(name), accepted);
            for (String name : refused) {
                String settingPath = JsonFields.path(path, name);
                if (isEnabled(settings.get(name), settingPath, fields)) {
                    fields.problem(settingPath, settingPath + " is not supported; it may only be disabled");
                }
            }
            for (String name : accepted) {
                isEnabled(settings.get(name), JsonFields.path(path, name), fields);
            }
        });
    }

    /** A setting object {@code {"enable": true, …}}; the other fields only matter when enabled. */
    private static boolean isEnabled(JsonNode setting, String path, JsonFields fields) {
        return fields.object(setting, path)
                .flatMap(object -> fields.bool(object.get("enable"), JsonFields.path(path, "enable")))
                .orElse(false);
    }
}
