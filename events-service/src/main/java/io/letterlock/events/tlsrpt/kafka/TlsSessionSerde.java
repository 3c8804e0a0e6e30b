package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSessionResult;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

/**
 * TLS session results as JSON. A record that is not a readable result becomes null instead of an
 * exception, which would stop the whole Streams application (the activity views too); the
 * topology drops nulls.
 */
public final class TlsSessionSerde implements Serde<TlsSessionResult> {

    private static final Logger LOG = Logger.getLogger(TlsSessionSerde.class);

    @Override
    public Serializer<TlsSessionResult> serializer() {
        return (topic, session) -> session == null ? null : Json.toBytes(session);
    }

    @Override
    public Deserializer<TlsSessionResult> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.fromBytes(bytes, TlsSessionResult.class);
            } catch (RuntimeException e) {
                LOG.warnf("skipping a record of %s that is not a TLS session result: %s", topic, e.getMessage());
                return null;
            }
        };
    }
}
