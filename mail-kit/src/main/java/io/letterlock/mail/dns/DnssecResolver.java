package io.letterlock.mail.dns;

import io.letterlock.mail.dns.TracingResolver.LookupTrace;
import org.jboss.logging.Logger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks DNS and says whether DNSSEC proves the answer ({@link DnssecAnswer}): secure, insecure,
 * bogus or indeterminate, as RFC 7672 §2.1.1 needs for DANE. Asks the same resolver as
 * {@link MxResolver} ({@code letterlock.dns.resolver}, or the system's).
 *
 * <p>In {@link DnssecMode#VALIDATE} dnsjava's {@code ValidatingResolver} checks every signature
 * itself, from the trust anchors (RFC 4035 §5): it asks with the CD bit so the resolver passes even
 * bogus data on to be judged here, and follows DS and DNSKEY records from the anchor down, keeping
 * validated keys in its cache. In {@link DnssecMode#TRUST_RESOLVER_AD} the resolver's AD bit decides.
 * Answers are kept as {@link DnssecSettings#caching()} says ({@link DnssecAnswerCache}), or not at all.
 *
 * <p>Never blocks a thread, and never hangs: each question to the resolver is bounded by the query
 * timeout, the whole lookup (its chain of trust included) by the lookup timeout. Note that
 * dnsjava's validator runs some of its steps on {@code ForkJoinPool.commonPool()}, which on
 * machines with two cores or fewer means a short-lived thread per step of a chain-of-trust walk.
 */
public final class DnssecResolver {

    private static final Logger LOG = Logger.getLogger(DnssecResolver.class);

    private final DnssecMode mode;
    private final Resolver resolver;
    private final Duration lookupTimeout;
    private final List<Name> anchoredZones;
    private final Clock clock;
    /** Empty when nothing is kept. */
    private final Optional<DnssecAnswerCache> cache;

    private DnssecResolver(DnssecMode mode, Resolver resolver, Duration lookupTimeout, List<Name> anchoredZones,
                           DnssecCaching caching, Clock clock) {
        this.mode = mode;
        this.resolver = resolver;
        this.lookupTimeout = lookupTimeout;
        this.anchoredZones = List.copyOf(anchoredZones);
        this.clock = clock;
        this.cache = caching.keepsNothing() ? Optional.empty() : Optional.of(new DnssecAnswerCache(caching, clock));
    }

    /**
     * @throws IllegalArgumentException when the resolver or the trust anchor file is unusable: a
     *                                  service should not start with DANE it cannot check
     */
    public static DnssecResolver create(DnssecSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    /**
     * @param clock what signature validity periods are checked against (RFC 4035 §5.3.1), and what
     *              kept answers expire by
     */
    public static DnssecResolver create(DnssecSettings settings, Clock clock) {
        Resolver upstream = new TracingResolver(DnsClient.upstream(settings.resolver(), settings.queryTimeout()),
                settings.queryTimeout());
        if (settings.mode() == DnssecMode.TRUST_RESOLVER_AD) {
            // RFC 3225: DO asks a validating resolver for DNSSEC processing; most set AD only then.
            upstream.setEDNS(0, 0, ExtendedFlags.DO);
            warnUnlessLoopback(settings.resolver());
            LOG.infof("DNSSEC: believing the AD bit of %s", settings.resolver().orElse("the system's resolvers"));
            return new DnssecResolver(settings.mode(), upstream, settings.lookupTimeout(), List.of(Name.root),
                    settings.caching(), clock);
        }
        ValidatingResolver validator = new ValidatingResolver(upstream, clock);
        String source = DnssecTrustAnchors.source(settings.trustAnchorFile());
        String anchors = DnssecTrustAnchors.text(settings.trustAnchorFile());
        List<Name> zones = DnssecTrustAnchors.parse(anchors, source).stream().map(Record::getName).distinct().toList();
        // Only ours: dnsjava would also load a file named by a system property.
        validator.getTrustAnchors().clear();
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(anchors.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.infof("DNSSEC: validating in-process from %s (zones %s)", source, zones);
        return new DnssecResolver(settings.mode(), validator, settings.lookupTimeout(), zones, settings.caching(),
                clock);
    }

    public DnssecMode mode() {
        return mode;
    }

    /** The zones whose trust anchors validation starts from ({@code .} for the IANA root). */
    public List<Name> anchoredZones() {
        return anchoredZones;
    }

    /**
     * The answer to {@code type} at {@code name} (absolute) and whether DNSSEC proves it. Completes
     * normally always: at once with an answer kept from before (see {@link DnssecCaching}), else on one
     * of the DNS threads. Callbacks must not block.
     */
    public CompletableFuture<DnssecAnswer> ask(Name name, int type) {
        return cache.map(kept -> kept.answer(name, type, () -> lookup(name, type))).orElseGet(() -> lookup(name, type));
    }

    private CompletableFuture<DnssecAnswer> lookup(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (mode == DnssecMode.TRUST_RESOLVER_AD) {
            query.getHeader().setFlag(Flags.AD); // RFC 6840 §5.7: ask for the AD bit
        }
        LookupTrace trace = new LookupTrace();
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(query, trace).toCompletableFuture().copy();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        String question = TracingResolver.question(query);
        return sent.orTimeout(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // Async: a timeout completes on the JDK's single delay thread, which must not run our steps.
                .handleAsync((response, error) -> error == null
                        ? classify(name, type, response, trace)
                        : new DnssecAnswer.Indeterminate(trace.failure()
                        .orElse(TracingResolver.describe(question, error, lookupTimeout))), DnsClient.CALLBACKS);
    }

    /** {@link #ask(Name, int)} for a name as text, taken as absolute. */
    public CompletableFuture<DnssecAnswer> ask(String name, int type) {
        try {
            return ask(Name.fromString(name, Name.root), type);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new DnssecAnswer.Indeterminate("'" + name + "' is not a DNS name"));
        }
    }

    /**
     * Checks that validation works at all: the DNSKEY RRset of the first anchored zone must come
     * back {@link DnssecAnswer.Secure}. Anything else means the resolver strips DNSSEC records (or
     * does not validate, in AD mode) or the anchor is wrong, and every DANE lookup would then be
     * bogus or indeterminate, deferring mail to every DANE domain. For a start-up log line or a
     * health check: asked anew each time, never answered from the kept answers, which would say how
     * validation went when they were asked.
     */
    public CompletableFuture<DnssecAnswer> probeTrustAnchor() {
        return lookup(anchoredZones.get(0), mode == DnssecMode.VALIDATE ? Type.DNSKEY : Type.SOA);
    }

    private DnssecAnswer classify(Name name, int type, Message response, LookupTrace trace) {
        Optional<String> failure = trace.failure();
        if (failure.isPresent()) {
            // Some question of this lookup went unanswered, so any verdict short of secure may be a
            // proof the validator abandoned (see TracingResolver).
            return response.getHeader().getFlag(Flags.AD) && mode == DnssecMode.VALIDATE
                    ? answered(true, name, type, response, clock)
                    : new DnssecAnswer.Indeterminate(failure.get());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.SERVFAIL && mode == DnssecMode.VALIDATE) {
            // dnsjava's validator answers bogus data with SERVFAIL and its reason (RFC 8914 style).
            return new DnssecAnswer.Bogus(validationReason(response)
                    .orElse("DNSSEC validation failed for " + TracingResolver.question(response)));
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new DnssecAnswer.Indeterminate(Rcode.string(rcode) + " for " + TracingResolver.question(response));
        }
        return answered(response.getHeader().getFlag(Flags.AD), name, type, response, clock);
    }

    private static DnssecAnswer answered(boolean secure, Name name, int type, Message response, Clock clock) {
        DnsAnswer content = DnsClient.classify(name, type, response);
        List<Record> records = List.of();
        boolean exists = true;
        long ttl;
        if (content instanceof DnsAnswer.Found found) {
            records = found.records();
            ttl = found.ttlSeconds();
        } else if (content instanceof DnsAnswer.NoData noData) {
            ttl = noData.negativeTtlSeconds();
        } else if (content instanceof DnsAnswer.NoSuchName noSuchName) {
            exists = false;
            ttl = noSuchName.negativeTtlSeconds();
        } else {
            return new DnssecAnswer.Indeterminate(((DnsAnswer.Failed) content).reason());
        }
        Name canonical = canonicalName(name, response);
        ttl = Math.min(ttl, secondsSignaturesHold(response, clock));
        return secure
                ? new DnssecAnswer.Secure(records, canonical, exists, ttl)
                : new DnssecAnswer.Insecure(records, canonical, exists, ttl);
    }

    /**
     * RFC 4035 §5.3.3: what a signature proved may be believed until it expires, however long the
     * TTL; so the seconds until the first signature in the answer and authority sections expires
     * (the records', or the NSECs' of a denial), and no limit when nothing is signed.
     */
    private static long secondsSignaturesHold(Message response, Clock clock) {
        long seconds = Long.MAX_VALUE;
        for (int section : new int[]{Section.ANSWER, Section.AUTHORITY}) {
            for (Record record : response.getSection(section)) {
                if (record instanceof RRSIGRecord signature) {
                    seconds = Math.min(seconds,
                            Math.max(0, Duration.between(clock.instant(), signature.getExpire()).getSeconds()));
                }
            }
        }
        return seconds;
    }

    /** Follows the CNAMEs in the answer from {@code name} (RFC 1034 §3.6.2), as far as they go. */
    private static Name canonicalName(Name name, Message response) {
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = name;
        List<Name> seen = new ArrayList<>();
        while (!seen.contains(current)) {
            seen.add(current);
            Name owner = current;
            Optional<Name> target = answer.stream()
                    .filter(r -> r.getType() == Type.CNAME && r.getName().equals(owner))
                    .map(r -> ((CNAMERecord) r).getTarget())
                    .findFirst();
            if (target.isEmpty()) {
                return current;
            }
            current = target.get();
        }
        return current;
    }

    /** The reason dnsjava's validator puts in the additional section (class 65280 TXT). */
    private static Optional<String> validationReason(Message response) {
        for (RRset rrset : response.getSectionRRsets(Section.ADDITIONAL)) {
            for (Record record : rrset.rrs()) {
                if (record instanceof TXTRecord txt && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                    return Optional.of(String.join("", txt.getStrings()));
                }
            }
        }
        return Optional.empty();
    }

    private static void warnUnlessLoopback(Optional<String> configured) {
        boolean loopback = configured
                .map(text -> HostAndPort.parse(text, 53))
                .map(server -> server.literalAddress().map(InetAddress::isLoopbackAddress)
                        .orElse(server.host().equalsIgnoreCase("localhost")))
                .orElse(false);
        if (!loopback) {
            LOG.warnf("DNSSEC: believing the AD bit of %s; anyone on the path to it can set that bit "
                            + "(RFC 4035 §4.9.3). Use a resolver on 127.0.0.1 or mode validate.",
                    configured.orElse("the system's resolvers"));
        }
    }
}
