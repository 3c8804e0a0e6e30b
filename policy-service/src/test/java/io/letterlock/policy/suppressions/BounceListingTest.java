package io.letterlock.policy.suppressions;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.SuppressionList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of {@link BounceListing}: which list each delivery event puts its recipient on. */
class BounceListingTest {

    private static final long AT = 1_764_800_000L;

    private static MailEvent event(EventType type, BounceType bounceType, String status, String accountId) {
        MailEvent.Builder event = MailEvent.builder(type, "Someone@Example.com").timestamp(Instant.ofEpochSecond(AT))
                .reason("550 " + status + " the reply").status(status);
        if (bounceType != null) {
            event.type(bounceType);
        }
        if (accountId != null) {
            event.accountId(accountId);
        }
        return event.build();
    }

    @ParameterizedTest(name = "{0} type={1} status={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "bounce,    bounce,  5.1.1,  bounces",
            "bounce,    bounce,  5.2.1,  bounces",
            "bounce,    bounce,  -,      bounces",
            "bounce,    bounce,  5.1.3,  invalid_emails",
            "bounce,    bounce,  5.4.7,  blocks",
            "bounce,    blocked, 5.7.1,  blocks",
            "bounce,    blocked, 5.1.3,  blocks",
            "dropped,   -,       -,      -",
            "deferred,  -,       4.2.2,  -",
            "delivered, -,       -,      -",
            "processed, -,       -,      -"})
    void listsEachEventAsTheTableSays(String event, String bounceType, String status, String list) {
        Optional<Suppression> listed = BounceListing.of(event(EventType.parse(event).orElseThrow(),
                bounceType == null ? null : BounceType.parse(bounceType).orElseThrow(), status, "acct-9"));

        assertThat(listed.map(s -> s.list().wireName())).isEqualTo(Optional.ofNullable(list));
    }

    @Test
    void theEntryIsMadeFromTheEventAlone() {
        MailEvent bounce = event(EventType.BOUNCE, BounceType.BOUNCE, "5.1.1", "acct-9");

        Suppression entry = BounceListing.of(bounce).orElseThrow();

        assertThat(entry).isEqualTo(new Suppression("acct-9", "someone@example.com", SuppressionList.BOUNCES,
                Instant.ofEpochSecond(AT), "550 5.1.1 the reply", "5.1.1", null));
        assertThat(BounceListing.of(bounce)).contains(entry);
    }

    @Test
    void anEventWithoutItsAccountListsNothing() {
        assertThat(BounceListing.of(event(EventType.BOUNCE, BounceType.BOUNCE, "5.1.1", null))).isEmpty();
    }
}
