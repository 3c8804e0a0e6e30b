package io.letterlock.mail.dns;

import org.jboss.logging.Logger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks the recursive resolver one question at a time, without blocking a thread (dnsjava's NIO
 * client), and classifies the response as {@link DnsAnswer}.
 *
 * <p>Public so that every lookup a delivery makes (MX routes, MTA-STS records, the policy host's
 * addresses) asks the one resolver the operator configured ({@code letterlock.dns.resolver}): build
 * one with {@link #forResolver} and hand it to {@link MxResolver} and the MTA-STS classes alike.
 */
public final class DnsClient {

    private static final Logger LOG = Logger.getLogger(DnsClient.class);
    private static final int DNS_PORT = 53;
    // A resolver that follows CNAMEs itself sends the whole chain; more hops than this is a loop.
    private static final int MAX_CNAME_HOPS = 8;

    /*
     * dnsjava hands its work to ForkJoinPool.commonPool() unless told otherwise, and on machines
     * with two cores or fewer CompletableFuture swaps that pool for a new thread per task: a thread
     * per query. These two threads only parse answers and run the (non-blocking) steps after them.
     */
    static final Executor CALLBACKS = Executors.newFixedThreadPool(2, new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "letterlock-dns-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final Resolver resolver;
    private final Duration timeout;

    DnsClient(Resolver resolver, Duration timeout) {
        this.resolver = resolver;
        this.timeout = timeout;
        resolver.setTimeout(timeout);
    }

    /**
     * The configured resolver ({@code host[:port]}, port 53 if omitted), or the system's: every
     * nameserver of /etc/resolv.conf (or the platform's equivalent), as dnsjava reads them.
     */
    public static DnsClient forResolver(Optional<String> configured, Duration timeout) {
        return new DnsClient(upstream(configured, timeout), timeout);
    }

    /** The resolver {@link #forResolver} asks; also the one DNSSEC validation sends its questions to. */
    static Resolver upstream(Optional<String> configured, Duration timeout) {
        if (configured.isEmpty() || configured.get().isBlank()) {
            ExtendedResolver system = new ExtendedResolver();
            // Each nameserver gets its share of the budget, so a dead first one leaves time to ask
            // the next (dnsjava's default gives each one 5 s whatever the total).
            Resolver[] servers = system.getResolvers();
            Duration share = timeout.dividedBy(Math.max(1, servers.length));
            for (Resolver server : servers) {
                server.setTimeout(share);
            }
            LOG.infof("DNS: asking the system's resolvers %s", system);
            return system;
        }
        HostAndPort server = HostAndPort.parse(configured.get(), DNS_PORT);
        // Resolved once, at start, by the JVM: a resolver cannot be asked for its own address.
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("DNS resolver: cannot resolve '" + server.host() + "'");
        }
        LOG.infof("DNS: asking the resolver at %s", server);
        return new SimpleResolver(address);
    }

    /** The resolver and query timeout of these settings. */
    public static DnsClient forSettings(ResolverSettings settings) {
        return forResolver(settings.resolver(), settings.queryTimeout());
    }

    /**
     * Never completes exceptionally: every failure is a {@link DnsAnswer.Failed}. Completes on one
     * of the two DNS threads: callbacks must not block.
     */
    public CompletableFuture<DnsAnswer> ask(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return resolver.sendAsync(query, CALLBACKS)
                .toCompletableFuture()
                .copy()
                // The resolver times each try out itself; this bounds the whole question, retries
                // included, so a lookup can never hang on a lost future.
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // Async: a timeout completes on the JDK's single delay thread, which must not run our steps.
                .handleAsync((response, error) -> error == null
                        ? classify(name, type, response)
                        : failed(name, type, error), CALLBACKS);
    }

    static DnsAnswer classify(Name name, int type, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer.NoSuchName(negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return new DnsAnswer.Failed(Rcode.string(rcode) + " for " + name.toString(true) + "/" + Type.string(type));
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name owner = name;
        long ttl = Long.MAX_VALUE;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            Name current = owner;
            List<Record> found = answer.stream()
                    .filter(r -> r.getType() == type && r.getName().equals(current))
                    .toList();
            if (!found.isEmpty()) {
                for (Record record : found) {
                    ttl = Math.min(ttl, record.getTTL());
                }
                return new DnsAnswer.Found(new ArrayList<>(found), ttl);
            }
            Optional<CNAMERecord> alias = answer.stream()
                    .filter(r -> r.getType() == Type.CNAME && r.getName().equals(current))
                    .map(CNAMERecord.class::cast)
                    .findFirst();
            if (alias.isEmpty()) {
                break;
            }
            // RFC 1034 §3.6.2: the records of an alias are those of its canonical name.
            ttl = Math.min(ttl, alias.get().getTTL());
            owner = alias.get().getTarget();
        }
        return new DnsAnswer.NoData(negativeTtl(response));
    }

    /**
     * RFC 2308 §5: a negative answer lives for the smaller of the SOA's TTL and its MINIMUM field;
     * without an SOA it "SHOULD NOT be cached" (0).
     */
    private static long negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance)
                .map(SOARecord.class::cast)
                .mapToLong(soa -> Math.min(soa.getTTL(), soa.getMinimum()))
                .min()
                .orElse(0);
    }

    private DnsAnswer failed(Name name, int type, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String question = name.toString(true) + "/" + Type.string(type);
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                || String.valueOf(cause.getMessage()).startsWith("Timed out")) {
            return new DnsAnswer.Failed("no answer for " + question + " within " + timeout.toMillis() + " ms");
        }
        LOG.debugf(cause, "DNS query %s failed", question);
        return new DnsAnswer.Failed(question + " failed: " + cause);
    }
}
