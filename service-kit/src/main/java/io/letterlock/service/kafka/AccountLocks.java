package io.letterlock.service.kafka;

/**
 * Serialises read-modify-write per key within this replica (settings kept in a compacted topic),
 * so two PATCHes of one account's settings do not lose each other's fields. Striped: a fixed number of locks, no growth.
 */
public final class AccountLocks {

    private final Object[] stripes = new Object[64];

    public AccountLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    public Object lockFor(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
