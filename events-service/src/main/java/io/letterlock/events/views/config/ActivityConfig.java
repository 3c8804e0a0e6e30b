package io.letterlock.events.views.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Email activity and the TLS report: how long messages are kept, how stale entries are purged and
 * how this instance reaches the others for interactive queries. application.properties maps the
 * Kafka Streams settings among them onto {@code quarkus.kafka-streams.*} and {@code kafka-streams.*}.
 */
@ConfigMapping(prefix = "letterlock.activity")
public interface ActivityConfig {

    /** How long a message stays queryable after its last event; also the report's window retention. */
    @WithDefault("30d")
    Duration retention();

    /** How often each instance removes messages past their retention from its stores (and changelogs). */
    @WithDefault("1h")
    Duration purgeInterval();

    /** How late an event may arrive and still count in its day's TLS report window. */
    @WithDefault("6h")
    Duration reportGrace();

    /** Kafka Streams application id: consumer group and prefix of the internal topics; the same on every instance. */
    @WithDefault("letterlock-events-activity")
    String applicationId();

    /** Where RocksDB keeps the stores (kafka-streams.state.dir); a folder of this instance's own. */
    String stateDir();

    /**
     * Host other instances reach this one's HTTP API at (Kafka Streams' application.server is
     * host:port, hence host and port rather than a URL); on Kubernetes the pod IP.
     */
    @WithDefault("localhost")
    String advertisedHost();

    /** Port of that address; the HTTP port unless a proxy sits in between. */
    int advertisedPort();

    /** How long a query forwarded to another instance may take before the caller gets a 503. */
    @WithDefault("5s")
    Duration forwardTimeout();
}
