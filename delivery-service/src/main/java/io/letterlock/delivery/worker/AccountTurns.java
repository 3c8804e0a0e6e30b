package io.letterlock.delivery.worker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps one account from taking every delivery slot of a worker. An account may have at most
 * {@code perAccount} jobs in delivery at once; its further jobs wait here, in the order they were
 * read, while the worker reads on, so another account's jobs behind them in the same partition start
 * at once. When one of an account's attempts ends, its next waiting job starts. Waiting jobs are
 * bounded in bytes; past the bound the worker stops reading.
 *
 * <p>Without it a partition is first in, first out: one account's flood of ten thousand messages
 * would put every other account's mail (and retries) behind it.
 *
 * <p>Not thread-safe: the worker's consumer thread uses it.
 *
 * @param <J> a job waiting to start
 */
final class AccountTurns<J> {

    private final int perAccount;
    private final long maxWaitingBytes;
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, ArrayDeque<Waiting<J>>> waiting = new HashMap<>();
    private long waitingBytes;
    private int waitingCount;

    private record Waiting<J>(J job, long bytes) {
    }

    AccountTurns(int perAccount, long maxWaitingBytes) {
        if (perAccount < 1) {
            throw new IllegalArgumentException("letterlock.delivery.max-in-flight-per-account must be at least 1: "
                    + perAccount);
        }
        this.perAccount = perAccount;
        this.maxWaitingBytes = maxWaitingBytes;
    }

    /**
     * A job read for this account.
     *
     * @return true when it may start now (it then counts as running); false when it waits here
     */
    boolean offer(String account, J job, long bytes) {
        int now = running.getOrDefault(account, 0);
        if (now < perAccount && !waiting.containsKey(account)) {
            running.put(account, now + 1);
            return true;
        }
        waiting.computeIfAbsent(account, a -> new ArrayDeque<>()).add(new Waiting<>(job, bytes));
        waitingBytes += bytes;
        waitingCount++;
        return false;
    }

    /**
     * One of the account's attempts ended.
     *
     * @return its next job, which now counts as running; null when none waits
     */
    J ended(String account) {
        ArrayDeque<Waiting<J>> queue = waiting.get(account);
        if (queue != null) {
            Waiting<J> next = queue.poll();
            if (queue.isEmpty()) {
                waiting.remove(account);
            }
            waitingBytes -= next.bytes();
            waitingCount--;
            return next.job();
        }
        running.computeIfPresent(account, (a, count) -> count > 1 ? count - 1 : null);
        return null;
    }

    /**
     * Drops waiting jobs (their partition went); they never ran, so running counts stay.
     *
     * @return how many were dropped
     */
    int drop(Predicate<J> which) {
        int dropped = 0;
        for (Iterator<Map.Entry<String, ArrayDeque<Waiting<J>>>> accounts = waiting.entrySet().iterator();
             accounts.hasNext(); ) {
            Map.Entry<String, ArrayDeque<Waiting<J>>> entry = accounts.next();
            for (Iterator<Waiting<J>> jobs = entry.getValue().iterator(); jobs.hasNext(); ) {
                Waiting<J> job = jobs.next();
                if (which.test(job.job())) {
                    jobs.remove();
                    waitingBytes -= job.bytes();
                    waitingCount--;
                    dropped++;
                }
            }
            if (entry.getValue().isEmpty()) {
                accounts.remove();
                // Its running jobs were never here: the next of them to end frees a slot as usual.
            }
        }
        return dropped;
    }

    /** Whether the waiting jobs take as much memory as allowed: read no more until some start. */
    boolean isFull() {
        return waitingBytes >= maxWaitingBytes;
    }

    int waitingCount() {
        return waitingCount;
    }

    long waitingBytes() {
        return waitingBytes;
    }
}
