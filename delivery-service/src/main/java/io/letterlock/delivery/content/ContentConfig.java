package io.letterlock.delivery.content;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Claim checks (docs in application.properties, where the defaults are shown). */
@ConfigMapping(prefix = "letterlock.content")
public interface ContentConfig {

    /**
     * A request whose body and files take more than this (as JSON) stores them once on the
     * mail-content topic; its jobs carry a reference. Smaller content is copied into each job,
     * which spares the worker a read.
     */
    @WithDefault("64K")
    MemorySize storeAbove();

    /** The largest chunk record; below the job topics' record size (max-record-size). */
    @WithDefault("512K")
    MemorySize chunkSize();

    /** Stored content read back and kept for the other recipients of a request, per worker. */
    @WithDefault("64M")
    MemorySize cacheSize();

    /**
     * Bytes of stored content in delivery at once per worker, each message counted as three times
     * its stored size (its file in lines, the composed message, and the pieces while composing);
     * jobs over it wait, without holding a thread, until others finish.
     * A message larger than this is still sent, alone.
     */
    @WithDefault("256M")
    MemorySize maxInFlightBytes();

    /**
     * Threads reading stored content back, each with its own Kafka consumer: a read may wait for an
     * older transaction on the content partition to end, and others go on meanwhile.
     */
    @WithDefault("2")
    int readers();

    /** How long reading one request's content back may take before the job is deferred. */
    @WithDefault("15s")
    Duration fetchTimeout();
}
