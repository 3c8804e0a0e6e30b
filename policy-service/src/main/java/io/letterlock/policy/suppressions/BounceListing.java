package io.letterlock.policy.suppressions;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.SuppressionList;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which list, if any, a delivery event puts its recipient on: a pure function of the event, tested
 * as a table ({@code BounceListingTest}). The entry is made from the event alone (its time, reason
 * and status), so reading an event twice lists the same entry twice.
 *
 * <table>
 * <caption>Event to list, after SendGrid's lists</caption>
 * <tr><th>event</th><th>list</th><th>why</th></tr>
 * <tr><td>{@code bounce}, {@code type:"blocked"}</td><td>blocks</td><td>refused for a reason other than
 *     the address (TLS, reputation, content): SendGrid lists blocks and still sends to them</td></tr>
 * <tr><td>{@code bounce}, status {@code 5.4.7}</td><td>blocks</td><td>Letterlock's bounce of a message that
 *     expired after deferrals; SendGrid lists mail "deferred longer than 72 hours" as a block</td></tr>
 * <tr><td>{@code bounce}, status {@code 5.1.3}</td><td>invalid_emails</td><td>RFC 3463: bad destination
 *     mailbox address syntax, SendGrid's "invalid email" (not in internet format)</td></tr>
 * <tr><td>{@code bounce}, otherwise</td><td>bounces</td><td>a hard bounce: the receiver refused the
 *     recipient permanently (5.1.1 no such user, 5.2.1 disabled, …)</td></tr>
 * <tr><td>{@code processed}, {@code delivered}, {@code deferred}, {@code dropped}</td><td>none</td>
 *     <td>a drop is the list at work, not a new outcome</td></tr>
 * </table>
 * An event without the account it belongs to (one of an older producer) lists nothing.
 */
public final class BounceListing {

    /** RFC 3463 §3.2, X.1.3: bad destination mailbox address syntax. */
    private static final Pattern BAD_SYNTAX = Pattern.compile("[245]\\.1\\.3");
    /** RFC 3463 §3.5, X.4.7: delivery time expired. */
    private static final Pattern EXPIRED = Pattern.compile("[245]\\.4\\.7");

    private BounceListing() {
    }

    public static Optional<Suppression> of(MailEvent event) {
        if (event.event() != EventType.BOUNCE || event.accountId() == null || event.email().isBlank()) {
            return Optional.empty();
        }
        String status = event.status() == null ? "" : event.status().strip();
        SuppressionList list;
        if (event.type() == BounceType.BLOCKED || EXPIRED.matcher(status).matches()) {
            list = SuppressionList.BLOCKS;
        } else if (BAD_SYNTAX.matcher(status).matches()) {
            list = SuppressionList.INVALID_EMAILS;
        } else {
            list = SuppressionList.BOUNCES;
        }
        return Optional.of(new Suppression(event.accountId(), event.email(), list,
                Instant.ofEpochSecond(event.timestamp()), event.reason(), event.status(), null));
    }
}
