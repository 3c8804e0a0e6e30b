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
 */
public class MessageHistoryProcessor implements Processor<String, EventRecord, String, EventRecord> {

    private static final Logger LOG = Logger.getLogger(MessageHistoryProcessor.class);

    private final String messagesStore;
    private final String indexStore;
    private final Duration retention;
    private final Duration purgeInterval;
    private ProcessorContext<String, EventRecord> context;
    private KeyValueStore<String, MessageHistory> messages;
    private KeyValueStore<String, MessageSummary> index;

    public MessageHistoryProcessor(String messagesStore, String indexStore, Duration retention, Duration purgeInterval) {
        this.messagesStore = messagesStore;
        this.indexStore = indexStore;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, EventRecord> context) {
        this.context = context;
        this.messages = context.getStateStore(messagesStore);
        this.index = context.getStateStore(indexStore);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
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
        MessageHistory after = before == null ? MessageHistory.first(msgId, value) : before.with(msgId, value);
        if (!expired(after.summary(), context.currentSystemTimeMs())) {
            if (before != null) {
                index.delete(indexKey(before.summary()));
            }
            messages.put(msgId, after);
            index.put(indexKey(after.summary()), after.summary());
        }
        context.forward(record.withKey(msgId));
    }

    private void purge(long now) {
        List<MessageSummary> expired = new ArrayList<>();
        try (KeyValueIterator<String, MessageHistory> all = messages.all()) {
            while (all.hasNext()) {
                KeyValue<String, MessageHistory> entry = all.next();
                if (expired(entry.value.summary(), now)) {
                    expired.add(entry.value.summary());
                }
            }
        }
        for (MessageSummary summary : expired) {
            messages.delete(summary.msgId());
            index.delete(indexKey(summary));
        }
        if (!expired.isEmpty()) {
            LOG.infof("removed %d messages past their %s retention from task %s", expired.size(), retention,
                    context.taskId());
        }
    }

    private boolean expired(MessageSummary summary, long nowMillis) {
        return summary.lastEventTime() * 1000 < nowMillis - retention.toMillis();
    }

    private static String indexKey(MessageSummary summary) {
        return AccountIndexKey.of(summary.accountId(), summary.lastEventTime(), summary.msgId());
    }
}
