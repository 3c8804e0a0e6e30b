package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.smtp.SmtpSession;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle SMTP sessions kept open for the next message to the same MX host at the same address
 * (connection reuse, like Postfix's connection cache). A session is handed out only if its TLS
 * state satisfies the asking message's policy ({@link SessionReuse}); it is dropped after
 * {@code idleTime} unused or after {@code maxTransactions} messages, so no server sees one
 * connection forever.
 */
public final class SessionPool implements AutoCloseable {

    private final Duration idleTime;
    private final int maxTransactions;
    private final int maxIdlePerAddress;
    private final Map<InetSocketAddress, Deque<Idle>> idle = new ConcurrentHashMap<>();

    public SessionPool(Duration idleTime, int maxTransactions, int maxIdlePerAddress) {
        this.idleTime = idleTime;
        this.maxTransactions = maxTransactions;
        this.maxIdlePerAddress = maxIdlePerAddress;
    }

    /**
     * An idle session to this address, opened for this MX host name, that this policy may use, taken
     * out of the pool. The name matters as much as the address: the certificate was verified against
     * the name the session was opened for, and one address may serve several names (static routes
     * with and without {@code match=}, MX hosts sharing a server).
     */
    public Optional<SmtpSession> take(InetSocketAddress address, String mxHost, EffectiveTlsPolicy policy) {
        Deque<Idle> sessions = idle.get(address);
        if (sessions == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        synchronized (sessions) {
            for (Iterator<Idle> it = sessions.iterator(); it.hasNext(); ) {
                Idle candidate = it.next();
                if (!candidate.session.isOpen() || now - candidate.since > idleTime.toNanos()) {
                    it.remove();
                    candidate.session.quit();
                    continue;
                }
                if (candidate.session.mxHost().equals(mxHost) && SessionReuse.allows(candidate.session.tls(), policy)) {
                    it.remove();
                    return Optional.of(candidate.session);
                }
            }
        }
        return Optional.empty();
    }

    /** Returns a session after a transaction; it is closed instead when spent or the pool is full. */
    public void give(SmtpSession session) {
        if (!session.isOpen() || session.transactions() >= maxTransactions) {
            session.quit();
            return;
        }
        Deque<Idle> sessions = idle.computeIfAbsent(session.remoteAddress(), a -> new ArrayDeque<>());
        synchronized (sessions) {
            if (sessions.size() >= maxIdlePerAddress) {
                session.quit();
                return;
            }
            sessions.addFirst(new Idle(session, System.nanoTime()));
        }
    }

    /** Closes sessions idle for longer than the idle time; call it now and then. */
    public void closeExpired() {
        long now = System.nanoTime();
        for (Deque<Idle> sessions : idle.values()) {
            synchronized (sessions) {
                sessions.removeIf(entry -> {
                    boolean expired = !entry.session.isOpen() || now - entry.since > idleTime.toNanos();
                    if (expired) {
                        entry.session.quit();
                    }
                    return expired;
                });
            }
        }
    }

    public int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public void close() {
        for (Deque<Idle> sessions : idle.values()) {
            synchronized (sessions) {
                sessions.forEach(entry -> entry.session.quit());
                sessions.clear();
            }
        }
    }

    private record Idle(SmtpSession session, long since) {
    }
}
