package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.TlsSessionResult;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Locale;

/**
 * Passes on each session result the first time its {@code session_id} is seen, so that a result
 * delivery wrote twice (a retried transaction, a replica that took over a partition) counts once.
 * Seen ids are kept in a window store by the session's time, as long as a day's window can still
 * take it (a day plus the grace) and then dropped segment by segment; the store has a changelog,
 * so a restart or a move to another instance still knows them, and exactly-once processing commits
 * the store, the counts and the offsets together.
 *
 * <p>Results keyed by anything but their policy domain are dropped: the day's results are found by
 * the policy domain's partition, so a result in another partition would be counted where no query
 * looks.
 */
final class FirstSessions implements FixedKeyProcessor<String, TlsSessionResult, TlsSessionResult> {

    private static final Logger LOG = Logger.getLogger(FirstSessions.class);

    private final String storeName;
    private final Duration remembered;
    private FixedKeyProcessorContext<String, TlsSessionResult> context;
    private WindowStore<String, Long> seen;

    FirstSessions(String storeName, Duration remembered) {
        this.storeName = storeName;
        this.remembered = remembered;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TlsSessionResult> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, TlsSessionResult> record) {
        TlsSessionResult session = record.value();
        if (session == null) {
            return;
        }
        if (record.key() == null || !record.key().toLowerCase(Locale.ROOT).equals(session.policyDomain())) {
            LOG.warnf("TLS session %s of %s is keyed %s, not by its policy domain; not counted", session.sessionId(),
                    session.policyDomain(), record.key());
            return;
        }
        long at = session.at().toEpochMilli();
        if (seenBefore(session.sessionId(), at)) {
            return;
        }
        seen.put(session.sessionId(), at, at);
        context.forward(record);
    }

    private boolean seenBefore(String sessionId, long at) {
        // The same session always carries the same at; the margin only forgives a rewritten one.
        try (WindowStoreIterator<Long> windows = seen.fetch(sessionId, Math.max(0, at - remembered.toMillis()),
                at + remembered.toMillis())) {
            return windows.hasNext();
        }
    }
}
