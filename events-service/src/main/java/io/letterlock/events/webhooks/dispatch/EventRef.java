package io.letterlock.events.webhooks.dispatch;

import org.apache.kafka.common.TopicPartition;

/** Where an event was read, so its offset can be released once it is delivered or durably queued. */
public record EventRef(TopicPartition partition, long offset) {
}
