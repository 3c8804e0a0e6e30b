package io.letterlock.events.views.query;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the stores' data lives across the instances of one application id, and this instance's
 * share of it. Every "not now" of Kafka Streams (starting, restoring, rebalancing) becomes a
 * {@link StoresUnavailableException}.
 */
@ApplicationScoped
public class InteractiveQueries {

    private final KafkaStreams streams;
    private final HostInfo self;

    public InteractiveQueries(KafkaStreams streams,
                              @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    public boolean isSelf(HostInfo host) {
        return self.equals(host);
    }

    /** The instance whose active task holds this key of a store keyed like its source topic. */
    public KeyQueryMetadata ownerOf(String store, String key) {
        return available(guard(() -> streams.queryMetadataForKey(store, key, new StringSerializer())));
    }

    /** The instance whose active task holds this key, for a store fed through a custom partitioner. */
    public KeyQueryMetadata ownerOf(String store, String key, StreamPartitioner<? super String, ?> partitioner) {
        return available(guard(() -> streams.queryMetadataForKey(store, key, partitioner)));
    }

    /** Every instance that hosts an active task of this store, this one included. */
    public Set<HostInfo> hostsOf(String store) {
        Set<HostInfo> hosts = new LinkedHashSet<>();
        for (StreamsMetadata metadata : guard(() -> streams.streamsMetadataForStore(store))) {
            if (!metadata.topicPartitions().isEmpty()) {
                hosts.add(metadata.hostInfo());
            }
        }
        if (hosts.isEmpty()) {
            throw new StoresUnavailableException("no instance hosts " + store + " yet");
        }
        return hosts;
    }

    /** The partitions of {@code sourceTopic} whose active task for this store runs here. */
    public List<Integer> localPartitions(String store, String sourceTopic) {
        return guard(() -> streams.streamsMetadataForStore(store)).stream()
                .filter(metadata -> isSelf(metadata.hostInfo()))
                .flatMap(metadata -> metadata.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(sourceTopic))
                .map(partition -> partition.partition())
                .sorted()
                .toList();
    }

    /** One partition's store of this instance's active task. */
    public <T> T store(String name, QueryableStoreType<T> type, int partition) {
        return guard(() -> streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition)));
    }

    private static KeyQueryMetadata available(KeyQueryMetadata metadata) {
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost().port() < 0) {
            throw new StoresUnavailableException("the owner of this data is not known yet (rebalancing)");
        }
        return metadata;
    }

    /**
     * Runs a read of local stores: a store handle checks its task's state on every call, so a
     * rebalance that starts mid-read must become a 503 too, not a 500.
     */
    public <T> T read(java.util.function.Supplier<T> query) {
        return guard(query);
    }

    private <T> T guard(java.util.function.Supplier<T> query) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new StoresUnavailableException("the activity stores are not ready (Kafka Streams is " + state + ")");
        }
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new StoresUnavailableException("the activity stores are moving between instances: " + e.getMessage());
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }
}
