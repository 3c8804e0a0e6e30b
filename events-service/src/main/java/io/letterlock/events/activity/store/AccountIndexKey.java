package io.letterlock.events.activity.store;

/**
 * Keys of the account index, {@code account|reverse-time|msg_id}: RocksDB keeps keys in byte
 * order, so one account's messages are adjacent and newest first, and a list query scans only the
 * caller's entries and can stop at the first one older than it asks for.
 */
public final class AccountIndexKey {

    static final char SEPARATOR = '|';
    private static final int TIME_DIGITS = 19;

    private AccountIndexKey() {
    }

    public static String of(String accountId, long lastEventTime, String msgId) {
        return prefix(accountId) + reverse(lastEventTime) + SEPARATOR + msgId;
    }

    /** Every key of this account starts with it; the separator keeps {@code account-1} from matching {@code account-10}. */
    public static String prefix(String accountId) {
        return accountId + SEPARATOR;
    }

    private static String reverse(long seconds) {
        String digits = Long.toString(Long.MAX_VALUE - Math.max(seconds, 0));
        return "0".repeat(TIME_DIGITS - digits.length()) + digits;
    }
}
