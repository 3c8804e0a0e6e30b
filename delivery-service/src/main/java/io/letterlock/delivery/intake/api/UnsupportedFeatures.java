package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
            "attachments", "attachments are not supported",
            "template_id", "templates are not supported; send the content itself",
            "sections", "sections (substitution templates) are not supported",
            "asm", "asm (unsubscribe groups) is not supported: Letterlock keeps no suppression lists, "
                    + "so the mail would reach people who unsubscribed",
            "ip_pool_name", "ip_pool_name is not supported: Letterlock sends from the delivery service's own addresses",
            "batch_id", "batch_id is not supported: scheduled sends cannot be paused or cancelled",
            "reply_to_list", "reply_to_list is not supported; use reply_to");
    /** Personalization fields that are refused whenever they carry a value. */
    private static final Map<String, String> REFUSED_IN_PERSONALIZATION = Map.of(
            "substitutions", "substitutions are not supported",
            "dynamic_template_data", "dynamic templates are not supported; send the content itself");

    /**
     * mail_settings that may be enabled: with no suppression lists there is nothing to bypass, so
     * bypassing them is what happens anyway. footer, sandbox_mode and spam_check would change the
     * message or whether it is sent at all, so enabling them is refused.
     */
    private static final Set<String> MAIL_SETTINGS_ACCEPTED = Set.of("bypass_list_management",
            "bypass_spam_management", "bypass_bounce_management", "bypass_unsubscribe_management");
    private static final Set<String> MAIL_SETTINGS_REFUSED = Set.of("footer", "sandbox_mode", "spam_check");
    /**
     * tracking_settings that may be enabled and are ignored: Letterlock never rewrites links or adds
     * pixels, so the recipient gets the message exactly as written and the sender gets no open or
     * click events (which it could not get anyway). subscription_tracking is refused: it would add
     * the unsubscribe link the sender may rely on to comply with anti-spam law.
     */
    private static final Set<String> TRACKING_ACCEPTED = Set.of("click_tracking", "open_tracking", "ganalytics");
    private static final Set<String> TRACKING_REFUSED = Set.of("subscription_tracking");

    private UnsupportedFeatures() {
    }

    /** Names that are not "unknown fields" at the top level, though not (fully) supported. */
    static Set<String> topLevelNames() {
        return union(REFUSED.keySet(), Set.of("mail_settings", "tracking_settings"));
    }

    static Set<String> personalizationNames() {
        return REFUSED_IN_PERSONALIZATION.keySet();
    }

    static void checkRequest(JsonNode request, Problems problems) {
        refuseUsed(request, "", REFUSED, problems);
        checkSettings(request.get("mail_settings"), "mail_settings", MAIL_SETTINGS_ACCEPTED,
                MAIL_SETTINGS_REFUSED, problems);
        checkSettings(request.get("tracking_settings"), "tracking_settings", TRACKING_ACCEPTED,
                TRACKING_REFUSED, problems);
    }

    static void checkPersonalization(JsonNode personalization, String path, Problems problems) {
        refuseUsed(personalization, path, REFUSED_IN_PERSONALIZATION, problems);
    }

    private static void refuseUsed(JsonNode object, String path, Map<String, String> refused, Problems problems) {
        refused.forEach((name, why) -> {
            if (!JsonFields.isEmpty(object.get(name))) {
                problems.add(Problems.path(path, name), why);
            }
        });
    }

    private static void checkSettings(JsonNode node, String path, Set<String> accepted, Set<String> refused,
                                      Problems problems) {
        JsonFields.object(node, path, problems).ifPresent(settings -> {
            JsonFields.refuseUnknown(settings, path, union(accepted, refused), problems);
            for (String name : refused) {
                String settingPath = Problems.path(path, name);
                if (isEnabled(settings.get(name), settingPath, problems)) {
                    problems.add(settingPath, settingPath + " is not supported; it may only be disabled");
                }
            }
            for (String name : accepted) {
                isEnabled(settings.get(name), Problems.path(path, name), problems);
            }
        });
    }

    /** A setting object {@code {"enable": true, …}}; the other fields only matter when enabled. */
    private static boolean isEnabled(JsonNode setting, String path, Problems problems) {
        return JsonFields.object(setting, path, problems).map(object -> {
            JsonNode enable = object.get("enable");
            if (JsonFields.isAbsent(enable)) {
                return false;
            }
            if (!enable.isBoolean()) {
                problems.add(Problems.path(path, "enable"), path + ".enable must be true or false");
                return false;
            }
            return enable.booleanValue();
        }).orElse(false);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
