package io.letterlock.events.report.store;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Puts every {@code account|domain} key of one account in one partition of the report's
 * repartition topic, so that one account's whole report lives on one instance and a report request
 * goes to that instance whole. Queries find the owner with the same partitioner.
 */
public final class AccountPartitioner<V> implements StreamPartitioner<String, V> {

    public static final char SEPARATOR = '|';

    public static String key(String accountId, String domain) {
        return accountId + SEPARATOR + domain;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        int end = key.indexOf(SEPARATOR);
        String account = end < 0 ? key : key.substring(0, end);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8)))
                % numPartitions));
    }
}
