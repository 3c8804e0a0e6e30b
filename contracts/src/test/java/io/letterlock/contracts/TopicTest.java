package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The topic catalogue covers every topic of the contract, once, with settings that keep what it holds. */
class TopicTest {

    @Test
    void everyTopicNameOfTheContractIsInTheCatalogueOnceExceptTheWaitTopicsThatShareTheirRetryTopicsEntry()
            throws IllegalAccessException {
        List<String> named = new java.util.ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                named.add((String) field.get(null));
            }
        }
        List<String> catalogued = Arrays.stream(Topic.values()).map(Topic::defaultName).toList();

        assertThat(catalogued).doesNotHaveDuplicates();
        assertThat(named).filteredOn(name -> Topic.entryOf(name).map(Topic::defaultName).filter(name::equals).isPresent())
                .containsExactlyInAnyOrderElementsOf(catalogued);
        assertThat(named).allSatisfy(name -> assertThat(Topic.entryOf(name)).as(name).isPresent());
    }

    @Test
    void aWaitTopicHasItsDelayQueuesEntryAndOnlyDelayQueuesHaveWaitTopics() {
        assertThat(Topic.entryOf(Topics.SEND_JOBS_WAIT_6H)).contains(Topic.SEND_JOBS_RETRY);
        assertThat(Topic.entryOf(Topics.WEBHOOKS_WAIT_30S)).contains(Topic.WEBHOOKS_RETRY);
        assertThat(Topic.entryOf(Topics.TLS_REPORTS_WAIT_1H)).contains(Topic.TLS_REPORTS);
        assertThat(Topic.entryOf(Topics.EVENTS + ".wait-1m")).isEmpty();
        assertThat(Topic.entryOf("letterlock.unknown")).isEmpty();
    }

    @Test
    void configKeysAreUniqueAndNamedAfterTheTopic() {
        assertThat(Topic.values()).extracting(Topic::configKey).doesNotHaveDuplicates();
        for (Topic topic : Topic.values()) {
            assertThat(topic.defaultName().replace('.', '-')).as(topic.name()).isEqualTo("letterlock-" + topic.configKey());
        }
    }

    @Test
    void settingsAreCompactedExactlyWithoutRetentionAndEverythingElseIsDeletedByAge() {
        for (Topic topic : Topic.values()) {
            if (topic.retention().compacted()) {
                // "compact,delete" would drop settings after retention.ms.
                assertThat(topic.topicConfig()).as(topic.name()).containsEntry("cleanup.policy", "compact")
                        .doesNotContainKeys("retention.ms", "retention.bytes");
            } else {
                assertThat(topic.topicConfig()).as(topic.name()).containsEntry("cleanup.policy", "delete")
                        .containsKey("retention.ms");
            }
        }
        assertThat(Topic.values()).filteredOn(topic -> topic.retention().compacted())
                .containsExactlyInAnyOrder(Topic.TLS_SETTINGS, Topic.DOMAIN_POLICIES, Topic.SUPPRESSIONS,
                        Topic.UNSUBSCRIBE_GROUPS, Topic.WEBHOOKS, Topic.MTA_STS_POLICIES, Topic.MAIL_BATCHES);
    }

    @Test
    void eachServiceCreatesTheTopicsItWritesFirst() {
        assertThat(Topic.ownedBy(Topic.Service.POLICY)).containsExactly(Topic.TLS_SETTINGS, Topic.DOMAIN_POLICIES,
                Topic.SUPPRESSIONS, Topic.UNSUBSCRIBE_GROUPS, Topic.MAIL_BATCHES);
        assertThat(Topic.ownedBy(Topic.Service.DELIVERY)).containsExactly(Topic.SEND_JOBS, Topic.SEND_JOBS_RETRY,
                Topic.SEND_JOBS_DLQ, Topic.MAIL_CONTENT, Topic.EVENTS, Topic.MTA_STS_POLICIES, Topic.TLS_SESSIONS);
        assertThat(Topic.ownedBy(Topic.Service.EVENTS)).containsExactly(Topic.WEBHOOKS, Topic.WEBHOOKS_RETRY,
                Topic.TLS_REPORTS);
    }

    @Test
    void jobTopicsTakeJobsLargerThanKafkasDefaultRecord() {
        for (Topic topic : List.of(Topic.SEND_JOBS, Topic.SEND_JOBS_RETRY, Topic.SEND_JOBS_DLQ)) {
            assertThat(topic.topicConfig()).as(topic.name()).containsEntry("max.message.bytes", "2097152");
        }
        assertThat(Topic.EVENTS.topicConfig()).doesNotContainKey("max.message.bytes");
    }
}
