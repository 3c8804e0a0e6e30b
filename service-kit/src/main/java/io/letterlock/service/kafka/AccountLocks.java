package io.letterlock.policy.store;

/**
 * Serialises read-modify-write per key within this replica, so two PATCHes of one account's
 * settings do not lose each other's fields. Striped: a fixed number of locks, no growth.
 */
final class AccountLocks {

    private final Object[] stripes = new Object[64];

    AccountLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    Object lockFor(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
