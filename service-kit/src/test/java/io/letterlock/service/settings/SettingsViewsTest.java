package io.letterlock.service.settings;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.Topics;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The senders' settings as policy-service and delivery both read them. */
class SettingsViewsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    @Test
    void aDomainPolicyWinsOverTheAccountsFlagsAndAnUndecodableLatestRecordIsNeverReplacedByTheOneBefore()
            throws Exception {
        TopicNames names = new SmallRyeConfigBuilder().withMapping(TopicNames.class)
                .withDefaultValues(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.DELIVERY))
                .build().getConfigMapping(TopicNames.class);
        Instant now = Instant.now();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            publisher.publish(names.tlsSettings(), "a", Json.toBytes(new TlsSettings("a", true, true, TlsVersion.TLS_1_2, now)));
            publisher.publish(names.domainPolicies(), Topics.domainPolicyKey("a", "pinned.example"),
                    Json.toBytes(new DomainPolicy("a", "pinned.example", DomainTlsMode.MAY, now)));
            publisher.publish(names.tlsSettings(), "b", Json.toBytes(new TlsSettings("b", true, true, TlsVersion.TLS_1_2, now)));
            publisher.publish(names.tlsSettings(), "b", "{not json".getBytes(StandardCharsets.UTF_8));
        }

        try (ViewReader reader = new ViewReader("settings-views-test", kafka);
             SettingsViews views = new SettingsViews(reader, names)) {
            assertThat(views.status()).containsValues("loading");
            views.start();
            await().atMost(TIMEOUT).until(views::isCaughtUp);

            assertThat(views.status()).containsOnly(Map.entry(names.tlsSettings(), "rebuilt"),
                    Map.entry(names.domainPolicies(), "rebuilt"));
            assertThat(views.lookup("a", "other.example").known()).get()
                    .extracting(EffectiveTlsPolicy::requireTls, EffectiveTlsPolicy::source)
                    .containsExactly(true, EffectiveTlsPolicy.SOURCE_ACCOUNT);
            assertThat(views.lookup("a", "pinned.example").known()).get()
                    .extracting(EffectiveTlsPolicy::source).isEqualTo(EffectiveTlsPolicy.SOURCE_DOMAIN);
            assertThat(views.lookup("nobody", "x.example").known()).get()
                    .extracting(EffectiveTlsPolicy::source).isEqualTo(EffectiveTlsPolicy.SOURCE_DEFAULT);
            assertThat(views.lookup("b", "x.example")).isInstanceOf(PolicyLookup.Unreadable.class);
            assertThat(views.isHealthy()).isTrue();
        }
    }
}
