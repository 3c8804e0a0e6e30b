package io.letterlock.mail.smtp;

/**
 * What delivery would do with a message to a server under one TLS policy, as the TLS check says it.
 *
 * @param outcome {@code delivered}, {@code dropped} (bounce {@code type:"blocked"}), {@code deferred}
 *                (retried later) or {@code bounced} (the domain takes no mail)
 * @param reason  why, in the words delivery's events use where they exist
 */
public record PolicyOutcome(String outcome, String reason) {

    public static final String DELIVERED = "delivered";
    public static final String DROPPED = "dropped";
    public static final String DEFERRED = "deferred";
    public static final String BOUNCED = "bounced";

    public static PolicyOutcome delivered(String reason) {
        return new PolicyOutcome(DELIVERED, reason);
    }

    public static PolicyOutcome dropped(String reason) {
        return new PolicyOutcome(DROPPED, reason);
    }

    public static PolicyOutcome deferred(String reason) {
        return new PolicyOutcome(DEFERRED, reason);
    }

    public static PolicyOutcome bounced(String reason) {
        return new PolicyOutcome(BOUNCED, reason);
    }
}
