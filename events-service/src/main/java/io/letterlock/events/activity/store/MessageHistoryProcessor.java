package io.letterlock.events.activity.store;

import io.letterlock.events.views.kafka.EventRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each message's history and the account index up to date, and passes on only events it had
 * not seen, so that what is counted downstream (the TLS report) counts each event once. Messages
 * whose last event is older than the retention are deleted from both stores, which writes
 * tombstones to their changelogs: they are gone after a restore too.
 *
 * <p>The purge reads every message of the task's store once a purge interval, on the stream
 * thread, which processes nothing meanwhile. Thirty days of a busy platform's mail is millions of
 * messages a task: read in one go, a pass would hold the thread for minutes, every hour, long enough for
 * the consumer group to count it gone ({@code max.poll.interval.ms}). So a pass goes in steps, each
 * at most {@link #STEP_BUDGET} or {@link #STEP_ENTRIES} messages, one a second, resuming after the
 * last key the previous step read.
 */
public class MessageHistoryProcessor implements Processor<String, EventRecord, String, EventRecord> {

    private static final Logger LOG = Logger.getLogger(MessageHistoryProcessor.class);
    /** How long one step of a purge pass may hold the stream thread. */
    static final Duration STEP_BUDGET = Duration.ofMillis(50);
    /** Messages one step reads at most, whatever the time. */
    static final int STEP_ENTRIES = 20_000;
    /** How often a step runs while a pass goes on (or the interval, if that is shorter). */
    private static final Duration STEP_EVERY = Duration.ofSeconds(1);

    private final String messagesStore;
    private final String indexStore;
    private final Duration retention;
    private final Duration purgeInterval;
    private final Duration stepBudget;
    private final int stepEntries;
    private ProcessorContext<String, EventRecord> context;
    private KeyValueStore<String, MessageHistory> messages;
    private KeyValueStore<String, MessageSummary> index;
    /** Wall-clock time the next pass may start at; unset (-1) until the first step. */
    private long nextPassMs = -1;
    /** A pass is going on. */
    private boolean passing;
    /** The last key the pass going on has read; null before its first step. */
    private String passCursor;
    private int passRemoved;

    public MessageHistoryProcessor(String messagesStore, String indexStore, Duration retention, Duration purgeInterval) {
        this(messagesStore, indexStore, retention, purgeInterval, STEP_BUDGET, STEP_ENTRIES);
    }

    MessageHistoryProcessor(String messagesStore, String indexStore, Duration retention, Duration purgeInterval,
                            Duration stepBudget, int stepEntries) {
        this.messagesStore = messagesStore;
        this.indexStore = indexStore;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
        this.stepBudget = stepBudget;
        this.stepEntries = stepEntries;
    }

    @Override
    public void init(ProcessorContext<String, EventRecord> context) {
        this.context = context;
        this.messages = context.getStateStore(messagesStore);
        this.index = context.getStateStore(indexStore);
        Duration step = purgeInterval.compareTo(STEP_EVERY) < 0 ? purgeInterval : STEP_EVERY;
        context.schedule(step, PunctuationType.WALL_CLOCK_TIME, this::purgeStep);
    }

    @Override
    public void process(Record<String, EventRecord> record) {
        EventRecord value = record.value();
        if (value == null) {
            return;
        }
        String msgId = value.event().sgMessageId() != null ? value.event().sgMessageId() : record.key();
        if (msgId == null || value.event().accountId() == null) {
            LOG.debugf("event %s has no message id or account; not kept", value.event().sgEventId());
            return;
        }
        MessageHistory before = messages.get(msgId);
        if (before != null && before.contains(value.event().sgEventId())) {
            return;
        }
        if (before != null && !before.summary().accountId().equals(value.event().accountId())) {
            // Never let one account's event land in (and show) another account's message.
            LOG.warnf("event %s names account %s but message %s belongs to another; not kept",
                    value.event().sgEventId(), value.event().accountId(), msgId);
            return;
        }
        HistoryEvent event = HistoryEvent.of(value.bytes());
        String accountId = value.event().accountId();
        MessageHistory after = before == null ? MessageHistory.first(msgId, accountId, event)
                : before.with(msgId, accountId, event);
        if (!expired(after.summary(), context.currentSystemTimeMs())) {
            String key = indexKey(after.summary());
            String oldKey = before == null ? null : indexKey(before.summary());
            if (oldKey != null && !oldKey.equals(key)) {
                // Only when the entry moves (its last event time changed): the put below replaces it
                // otherwise, and a delete would only add a tombstone to the changelog. A null put, not
                // delete(): delete reads and decodes the old value first, only to return it.
                index.put(oldKey, null);
            }
            messages.put(msgId, after);
            index.put(key, after.summary());
        }
        context.forward(record.withKey(msgId));
    }

    /** One step of a purge pass: starts a pass when one is due, reads on from where the last step stopped. */
    private void purgeStep(long now) {
        if (nextPassMs < 0) {
            // The first pass one interval after the first step (the context's clock is not yet set in init).
            nextPassMs = now + purgeInterval.toMillis();
        }
        if (!passing) {
            if (now < nextPassMs) {
                return;
            }
            passing = true;
            passCursor = null;
            passRemoved = 0;
            nextPassMs = now + purgeInterval.toMillis();
        }
        long deadline = System.nanoTime() + stepBudget.toNanos();
        List<MessageSummary> expired = new ArrayList<>();
        boolean passDone = true;
        int read = 0;
        // The range starts at the cursor itself (its lower bound is inclusive), which the last step read.
        try (KeyValueIterator<String, MessageHistory> rest = messages.range(passCursor, null)) {
            while (rest.hasNext()) {
                // At least one message a step, however slow the store: a pass always ends.
                if (read >= stepEntries || read > 0 && System.nanoTime() > deadline) {
                    passDone = false;
                    break;
                }
                KeyValue<String, MessageHistory> entry = rest.next();
                if (entry.key.equals(passCursor)) {
                    continue;
                }
                read++;
                passCursor = entry.key;
                if (expired(entry.value.summary(), now)) {
                    expired.add(entry.value.summary());
                }
            }
        }
        for (MessageSummary summary : expired) {
            messages.put(summary.msgId(), null);
            index.put(indexKey(summary), null);
        }
        passRemoved += expired.size();
        if (passDone) {
            passing = false;
            passCursor = null;
            if (passRemoved > 0) {
                LOG.infof("removed %d messages past their %s retention from task %s", passRemoved, retention,
                        context.taskId());
            }
        }
    }

    private boolean expired(MessageSummary summary, long nowMillis) {
        return summary.lastEventTime() * 1000 < nowMillis - retention.toMillis();
    }

    private static String indexKey(MessageSummary summary) {
        return AccountIndexKey.of(summary.accountId(), summary.lastEventTime(), summary.msgId());
    }
}
