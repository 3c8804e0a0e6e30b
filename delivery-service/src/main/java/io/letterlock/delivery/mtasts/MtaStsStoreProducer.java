package io.letterlock.delivery.mtasts;

import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.ViewReader;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Map;

/** The shared MTA-STS policy cache of this replica, on the topic delivery owns. */
@ApplicationScoped
public class MtaStsStoreProducer {

    @Produces
    @Singleton
    MtaStsPolicyTopic policyTopic(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                  TopicNames topics, ViewReader reader) {
        return new MtaStsPolicyTopic(topics.mtaStsPolicies(), kafkaConfig, reader);
    }

    void close(@Disposes MtaStsPolicyTopic topic) {
        topic.close();
    }
}
