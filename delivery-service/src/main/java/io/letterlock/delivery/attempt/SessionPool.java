package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.smtp.SmtpSession;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle SMTP sessions kept open for the next message to the same MX host at the same address
 * (connection reuse, like Postfix's connection cache). A session is handed out only for the MX
 * name it was opened for, since its certificate was verified against that name and proves nothing
 * about another name served from the same address, and only if its TLS state (and, for a
 * REQUIRETLS message, what its server advertised) satisfies the asking message's policy
 * ({@link SessionReuse}). It is dropped after {@code idleTime} unused or after
 * {@code maxTransactions} messages, so no server sees one connection forever.
 */
public final class SessionPool implements AutoCloseable {

    private final Duration idleTime;
    private final int maxTransactions;
    private final int maxIdlePerAddress;
    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();

    public SessionPool(Duration idleTime, int maxTransactions, int maxIdlePerAddress) {
        this.idleTime = idleTime;
        this.maxTransactions = maxTransactions;
        this.maxIdlePerAddress = maxIdlePerAddress;
    }

    /**
     * An idle session to this MX host at this address that this policy may use, taken out of the pool.
     *
     * @param mxHost the name the message's certificate check is made against
     */
    public Optional<SmtpSession> take(String mxHost, InetSocketAddress address, EffectiveTlsPolicy policy) {
        return take(mxHost, address, HostTlsPolicy.senderOnly(policy));
    }

    /**
     * As above, for a connection held to a receiver's rules or a REQUIRETLS message's too: the
     * session must also have had its certificate judged the same way (by DANE's TLSA records, or by
     * PKIX), since a verdict of one says nothing of the other, and a REQUIRETLS message needs a
     * server that advertised REQUIRETLS ({@link SessionReuse}).
     */
    public Optional<SmtpSession> take(String mxHost, InetSocketAddress address, HostTlsPolicy host) {
        Deque<Idle> sessions = idle.get(Key.of(mxHost, address));
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
                SmtpSession session = candidate.session;
                if (SessionReuse.allows(session.mxHost(), session.tls(), session.openedUnder().authentication(),
                        session.capabilities(), host)) {
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
        Deque<Idle> sessions = idle.computeIfAbsent(Key.of(session.mxHost(), session.remoteAddress()),
                k -> new ArrayDeque<>());
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

    /** MX names compare as DNS compares them: without case or a trailing dot. */
    private record Key(String mxHost, InetSocketAddress address) {
        static Key of(String mxHost, InetSocketAddress address) {
            String name = mxHost.toLowerCase(Locale.ROOT);
            return new Key(name.endsWith(".") ? name.substring(0, name.length() - 1) : name, address);
        }
    }
}
