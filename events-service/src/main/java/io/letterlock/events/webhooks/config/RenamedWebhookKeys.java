package io.letterlock.events.webhooks.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Webhook retry keys that were renamed to delivery's words (letterlock.retry.*) when webhook retries
 * moved onto service-kit's delay queue. Quarkus would ignore a value under an old name with no more
 * than a warning (an operator's backoff or memory cap silently back to its default), so a start
 * that finds one stops, naming the key to set instead. Stopping rather than reading the old name
 * too: max-held-bytes also changed what it counts, and one name per setting is what operators,
 * manifests and their checks can rely on.
 */
@ApplicationScoped
public class RenamedWebhookKeys {

    /** Old name → new name. */
    static final Map<String, String> RENAMED = renamed();

    private static Map<String, String> renamed() {
        Map<String, String> renamed = new LinkedHashMap<>();
        renamed.put("letterlock.webhook.retry.initial", "letterlock.webhook.retry.initial-delay");
        renamed.put("letterlock.webhook.retry.max", "letterlock.webhook.retry.max-delay");
        renamed.put("letterlock.webhook.retry.group-id", "letterlock.webhook.retry.scheduler.group-id");
        renamed.put("letterlock.webhook.retry.max-held-bytes", "letterlock.webhook.retry.scheduler.max-held-bytes");
        renamed.put("letterlock.webhook.retry.max-held-bytes-per-account",
                "letterlock.webhook.retry.scheduler.max-held-bytes-per-account");
        return Map.copyOf(renamed);
    }

    // Before anything else starts (the topics, the dispatcher).
    void onStart(@Observes @Priority(1) StartupEvent event) {
        refuseOldNames(ConfigProvider.getConfig());
    }

    /** @throws IllegalStateException naming each old key set and the key to set instead */
    static void refuseOldNames(Config config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** One sentence per old key that has a value, from any source (properties, system properties, environment). */
    static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        RENAMED.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(renamed -> {
            if (config.getConfigValue(renamed.getKey()).getValue() != null) {
                problems.add(renamed.getKey() + " (" + variable(renamed.getKey()) + ") was renamed: set "
                        + renamed.getValue() + " (" + variable(renamed.getValue()) + ") instead");
            }
        });
        return problems;
    }

    /** The environment variable of a key, as MicroProfile Config maps it. */
    static String variable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
