package io.letterlock.testkit.smtp;

/**
 * A reply the server gives instead of its normal one in the first {@code transactions} mail
 * transactions of its life (counted server-wide, across connections, by accepted MAIL FROM), so a
 * test can say "451 twice, then accept" and watch the client retry.
 */
record ReplyScript(ScriptedReply reply, int transactions) {

    static final ReplyScript NONE = new ReplyScript(null, 0);

    ReplyScript {
        if (transactions < 0) {
            throw new IllegalArgumentException("transactions must not be negative: " + transactions);
        }
    }

    /** The scripted reply for this (1-based) transaction, or null when the normal reply applies. */
    ScriptedReply replyFor(int transaction) {
        return reply != null && transaction <= transactions ? reply : null;
    }
}
