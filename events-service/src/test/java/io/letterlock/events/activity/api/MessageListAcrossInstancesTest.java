package io.letterlock.events.activity.api;

import io.letterlock.events.activity.api.MessageListBody.Entry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the lists of several instances become one answer. */
class MessageListAcrossInstancesTest {

    private static Entry message(String msgId, String lastEventTime) {
        return new Entry(msgId, "rcpt@merge.test", "delivered", "delivered", lastEventTime, 1, null, null, null);
    }

    private static List<String> ids(List<Entry> entries) {
        return entries.stream().map(Entry::msgId).toList();
    }

    @Test
    void theNewestMessagesOfEveryInstanceComeFirstWhicheverInstanceHeldThem() {
        List<Entry> here = List.of(message("m3", "2026-12-03T10:00:03Z"), message("m1", "2026-12-03T10:00:01Z"));
        List<Entry> there = List.of(message("m4", "2026-12-03T10:00:04Z"), message("m2", "2026-12-03T10:00:02Z"));

        assertThat(ids(MessageListAcrossInstances.merge(List.of(here, there), 10))).containsExactly("m4", "m3", "m2", "m1");
    }

    @Test
    void theMergedListIsCutToTheLimitAfterMerging() {
        List<Entry> here = List.of(message("m2", "2026-12-03T10:00:02Z"), message("m1", "2026-12-03T10:00:01Z"));
        List<Entry> there = List.of(message("m3", "2026-12-03T10:00:03Z"));

        assertThat(ids(MessageListAcrossInstances.merge(List.of(here, there), 2))).containsExactly("m3", "m2");
    }

    @Test
    void timesAreComparedAsInstantsAndTiesGoByMessageIdAsTheStoresOrderThem() {
        List<Entry> here = List.of(message("m-b", "2026-12-03T10:00:00Z"), message("m-z", "2026-12-03T09:59:59.500Z"));
        List<Entry> there = List.of(message("m-a", "2026-12-03T10:00:00Z"));

        assertThat(ids(MessageListAcrossInstances.merge(List.of(here, there), 10))).containsExactly("m-a", "m-b", "m-z");
    }
}
