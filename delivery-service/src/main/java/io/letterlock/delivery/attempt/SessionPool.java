package io.letterlock.delivery.attempt;

import io.letterlock.mail.smtp.SmtpSession;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Idle SMTP sessions kept open for the next message to the same address (connection reuse, like
 * Postfix's connection cache). A session goes to a message for the MX name it was opened for, or
 * for another name served from the same address when its certificate proves that name too
 * ({@link SmtpSession#provenFor}): a certificate verified for one name proves nothing about
 * another unless it names it (or the other name's TLSA records match it). Either way only if its
 * TLS state (and, for a REQUIRETLS message, what its server advertised) satisfies the asking
 * message's policy ({@link SessionReuse}). Without the second way, mail to many MX names at one
 * server (a hosting provider's, Microsoft 365's per-domain names) opened a connection a name and
 * kept up to ten of each idle, more connections than a receiver's process limit.
 *
 * <p>At most {@code maxIdlePerAddress} sessions are kept idle at one address, whatever their names:
 * a server whose names' certificates do not prove each other still sees a bounded number of idle
 * connections from this service, the least recently used let go first.
 *
 * <p>A session is dropped after {@code idleTime} unused or after {@code maxTransactions}
 * messages, so no server sees one connection forever.
 */
public final class SessionPool implements AutoCloseable {

    private final Duration idleTime;
    private final int maxTransactions;
    private final int maxIdlePerAddress;
    private final Map<InetSocketAddress, AtAddress> idle = new ConcurrentHashMap<>();

    /** A session handed out, with its TLS facts for the asking message's MX name. */
    public record Lent(SmtpSession session, TlsFacts tls) {
    }

    /**
     * The idle sessions at one address by the MX name each was opened for; guarded by itself.
     * Emptied names are removed, so the names ever seen at a shared address do not pile up, and an
     * address with nothing idle is removed by {@link #closeExpired}, marked so that a session
     * given back at that moment goes to the address's next bucket, not a forgotten one.
     */
    private static final class AtAddress {
        final Map<String, Deque<Idle>> byName = new HashMap<>();
        boolean removed;

        int idle() {
            int idle = 0;
            for (Deque<Idle> sessions : byName.values()) {
                idle += sessions.size();
            }
            return idle;
        }

        /** Each name's deque has its most recently returned session first, its oldest last. */
        void closeLeastRecentlyUsed() {
            String oldestName = null;
            long oldest = 0;
            for (Map.Entry<String, Deque<Idle>> entry : byName.entrySet()) {
                Idle last = entry.getValue().peekLast();
                if (last != null && (oldestName == null || last.since - oldest < 0)) {
                    oldest = last.since;
                    oldestName = entry.getKey();
                }
            }
            if (oldestName != null) {
                Deque<Idle> sessions = byName.get(oldestName);
                sessions.pollLast().session.quit();
                if (sessions.isEmpty()) {
                    byName.remove(oldestName);
                }
            }
        }
    }

    public SessionPool(Duration idleTime, int maxTransactions, int maxIdlePerAddress) {
        this.idleTime = idleTime;
        this.maxTransactions = maxTransactions;
        this.maxIdlePerAddress = maxIdlePerAddress;
    }

    /**
     * An idle session at this address that a message to this MX host under this host's policy may
     * use, taken out of the pool: one opened for the name itself first, else one whose certificate
     * proves the name. The session must also have had its certificate judged the same way (by
     * DANE's TLSA records, or by PKIX), since a verdict of one says nothing of the other, and a
     * REQUIRETLS message needs a server that advertised REQUIRETLS ({@link SessionReuse}).
     *
     * @param mxHost the name the message's certificate check is made against
     */
    public Optional<Lent> take(String mxHost, InetSocketAddress address, HostTlsPolicy host) {
        AtAddress at = idle.get(address);
        if (at == null) {
            return Optional.empty();
        }
        String name = name(mxHost);
        long now = System.nanoTime();
        synchronized (at) {
            Optional<Lent> own = takeFrom(at, name, now, session -> SessionReuse.allows(session.mxHost(),
                    session.tls(), session.openedUnder().authentication(), session.capabilities(), host)
                    ? Optional.of(session.tls()) : Optional.empty());
            if (own.isPresent()) {
                return own;
            }
            for (String other : at.byName.keySet().toArray(String[]::new)) {
                if (other.equals(name)) {
                    continue;
                }
                // Judged now by this name's own rules, as a new connection to it would be.
                Optional<Lent> proven = takeFrom(at, other, now, session -> session.provenFor(mxHost, host)
                        .filter(facts -> SessionReuse.allows(mxHost, facts, host.authentication(),
                                session.capabilities(), host)));
                if (proven.isPresent()) {
                    return proven;
                }
            }
        }
        return Optional.empty();
    }

    /** The first open, unexpired session of a name that {@code usable} gives facts for; closes the stale ones. */
    private Optional<Lent> takeFrom(AtAddress at, String name, long now,
                                    Function<SmtpSession, Optional<TlsFacts>> usable) {
        Deque<Idle> sessions = at.byName.get(name);
        if (sessions == null) {
            return Optional.empty();
        }
        try {
            for (Iterator<Idle> it = sessions.iterator(); it.hasNext(); ) {
                Idle candidate = it.next();
                if (!candidate.session.isOpen() || now - candidate.since > idleTime.toNanos()) {
                    it.remove();
                    candidate.session.quit();
                    continue;
                }
                Optional<TlsFacts> facts = usable.apply(candidate.session);
                if (facts.isPresent()) {
                    it.remove();
                    return Optional.of(new Lent(candidate.session, facts.get()));
                }
            }
            return Optional.empty();
        } finally {
            if (sessions.isEmpty()) {
                at.byName.remove(name);
            }
        }
    }

    /**
     * Returns a session after a transaction, under the name it was opened for; it is closed
     * instead when spent. When the address has {@code maxIdlePerAddress} idle already, the one idle
     * longest there, of any name, is closed to make room.
     */
    public void give(SmtpSession session) {
        if (!session.isOpen() || session.transactions() >= maxTransactions) {
            session.quit();
            return;
        }
        while (true) {
            AtAddress at = idle.computeIfAbsent(session.remoteAddress(), a -> new AtAddress());
            synchronized (at) {
                if (at.removed) {
                    continue;
                }
                if (at.idle() >= maxIdlePerAddress) {
                    at.closeLeastRecentlyUsed();
                }
                at.byName.computeIfAbsent(name(session.mxHost()), n -> new ArrayDeque<>())
                        .addFirst(new Idle(session, System.nanoTime()));
                return;
            }
        }
    }

    /** Closes sessions idle for longer than the idle time; call it now and then. */
    public void closeExpired() {
        long now = System.nanoTime();
        idle.values().removeIf(at -> {
            synchronized (at) {
                at.byName.values().removeIf(sessions -> {
                    sessions.removeIf(entry -> {
                        boolean expired = !entry.session.isOpen() || now - entry.since > idleTime.toNanos();
                        if (expired) {
                            entry.session.quit();
                        }
                        return expired;
                    });
                    return sessions.isEmpty();
                });
                at.removed = at.byName.isEmpty();
                return at.removed;
            }
        });
    }

    /** Idle sessions at an address, for tests and the curious. */
    int idleAt(InetSocketAddress address) {
        AtAddress at = idle.get(address);
        if (at == null) {
            return 0;
        }
        synchronized (at) {
            return at.byName.values().stream().mapToInt(Deque::size).sum();
        }
    }

    @Override
    public void close() {
        for (AtAddress at : idle.values()) {
            synchronized (at) {
                at.byName.values().forEach(sessions -> sessions.forEach(entry -> entry.session.quit()));
                at.byName.clear();
            }
        }
    }

    private record Idle(SmtpSession session, long since) {
    }

    /** MX names compare as DNS compares them: without case or a trailing dot. */
    private static String name(String mxHost) {
        String name = mxHost.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
