package io.letterlock.mail.dns;

import org.jboss.logging.Logger;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Finds where one domain's mail goes by asking DNS (RFC 5321 §5.1): its MX records, then the
 * addresses of the chosen MX hosts; or, with no MX records, the domain's own addresses.
 *
 * <p>Odd records, handled as most MTAs do:
 * <ul>
 * <li>An MX naming an address ({@code MX 10 192.0.2.1.}) is skipped: an exchange is a host name
 *     (RFC 1035 §3.3.9), and looking the digits up as a name would ask DNS for nonsense.</li>
 * <li>An MX naming a CNAME is followed (the resolver returns the chain), though RFC 2181 §10.3 forbids
 *     it; the MX host name stays the name the MX record gave, the one its certificate should carry.</li>
 * <li>A domain that is itself a CNAME uses the MX records of its canonical name (RFC 5321 §5.1).</li>
 * <li>A null MX published next to other MX records (RFC 7505 §3 forbids it) is ignored in favour of
 *     the others; only a domain whose every MX is {@code .} is a {@link Route.NullMx}.</li>
 * <li>The same host under two preferences is tried once, at the better one.</li>
 * </ul>
 */
final class MxLookup {

    private static final Logger LOG = Logger.getLogger(MxLookup.class);
    // The implicit MX of a domain without MX records has preference 0 (RFC 5321 §5.1).
    private static final int IMPLICIT_MX_PREFERENCE = 0;

    private final DnsClient dns;
    private final AddressLookup addressLookup;
    private final TtlPolicy ttlPolicy;
    private final int maxMxHosts;
    private final int smtpPort;
    private final Random random;

    MxLookup(DnsClient dns, AddressLookup addressLookup, TtlPolicy ttlPolicy, int maxMxHosts, int smtpPort,
             Random random) {
        this.dns = dns;
        this.addressLookup = addressLookup;
        this.ttlPolicy = ttlPolicy;
        this.maxMxHosts = maxMxHosts;
        this.smtpPort = smtpPort;
        this.random = random;
    }

    CompletableFuture<ResolvedRoute> lookup(MailDomain domain) {
        return dns.ask(domain.name(), Type.MX).thenCompose(answer -> {
            long ttl = ttlPolicy.ttlOf(answer);
            if (answer instanceof DnsAnswer.Found found) {
                return viaMxHosts(domain, found, ttl);
            }
            if (answer instanceof DnsAnswer.NoData) {
                return viaImplicitMx(domain, ttl);
            }
            if (answer instanceof DnsAnswer.NoSuchName) {
                return done(new Route.NoSuchDomain(), ttl);
            }
            return done(new Route.TemporaryFailure(((DnsAnswer.Failed) answer).reason()), ttl);
        });
    }

    private CompletableFuture<ResolvedRoute> viaMxHosts(MailDomain domain, DnsAnswer.Found found, long mxTtl) {
        List<MXRecord> records = found.records().stream().map(MXRecord.class::cast).toList();
        if (records.stream().allMatch(mx -> mx.getTarget().equals(Name.root))) {
            return done(new Route.NullMx(), mxTtl);
        }
        List<MXRecord> hosts = chooseHosts(domain, records);
        if (hosts.isEmpty()) {
            return done(new Route.NoMailExchanger("no MX record of " + domain + " names a host"), mxTtl);
        }
        List<CompletableFuture<HostAddresses>> lookups = hosts.stream()
                .map(mx -> addressLookup.addressesOf(mx.getTarget()))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(done -> destinations(domain, hosts, lookups.stream().map(CompletableFuture::join).toList(),
                        mxTtl));
    }

    /** The hosts to try, best first, at most {@code maxMxHosts} of them. */
    private List<MXRecord> chooseHosts(MailDomain domain, List<MXRecord> records) {
        Map<Name, MXRecord> bestPerHost = new LinkedHashMap<>();
        records.stream()
                .filter(mx -> !mx.getTarget().equals(Name.root))
                .filter(mx -> {
                    boolean address = MailDomain.looksLikeAddress(mx.getTarget().toString(true));
                    if (address) {
                        LOG.warnf("MX of %s names an address, not a host: %s; skipped", domain, mx.getTarget());
                    }
                    return !address;
                })
                // Sorted by name first so that a seeded Random gives the same order whatever order
                // the resolver sent the records in.
                .sorted(Comparator.comparingInt(MXRecord::getPriority).thenComparing(MXRecord::getTarget))
                .forEach(mx -> bestPerHost.putIfAbsent(mx.getTarget(), mx));
        List<MXRecord> ordered = EqualPreferenceShuffle.apply(
                new ArrayList<>(bestPerHost.values()), MXRecord::getPriority, random);
        // Shuffled before the cut, so that with more equal hosts than the cap each gets its turn.
        return ordered.subList(0, Math.min(maxMxHosts, ordered.size()));
    }

    private ResolvedRoute destinations(MailDomain domain, List<MXRecord> hosts, List<HostAddresses> addresses,
                                       long mxTtl) {
        List<Destination> destinations = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long ttl = mxTtl;
        for (int i = 0; i < hosts.size(); i++) {
            MXRecord mx = hosts.get(i);
            HostAddresses found = addresses.get(i);
            ttl = Math.min(ttl, found.ttlSeconds());
            found.temporaryFailure().ifPresent(failures::add);
            if (found.addresses().isEmpty()) {
                // RFC 5321 §5.1: an MX host without addresses is skipped; the next one is tried.
                LOG.debugf("MX host %s of %s has no address; skipped", mx.getTarget(), domain);
                continue;
            }
            destinations.add(new Destination(mx.getTarget().toString(true).toLowerCase(Locale.ROOT),
                    mx.getPriority(), found.addresses(), smtpPort, false));
        }
        if (!destinations.isEmpty()) {
            return resolved(new Route.Destinations(destinations), ttl);
        }
        if (!failures.isEmpty()) {
            return resolved(new Route.TemporaryFailure(
                    "no MX host of " + domain + " could be resolved: " + String.join("; ", failures)), ttl);
        }
        return resolved(new Route.NoMailExchanger("no MX host of " + domain + " has an address"), ttl);
    }

    /** RFC 5321 §5.1: no MX records → the domain itself is the mail exchanger, at preference 0. */
    private CompletableFuture<ResolvedRoute> viaImplicitMx(MailDomain domain, long noDataTtl) {
        return addressLookup.addressesOf(domain.name()).thenApply(found -> {
            long ttl = Math.min(noDataTtl, found.ttlSeconds());
            if (!found.addresses().isEmpty()) {
                return resolved(new Route.Destinations(List.of(new Destination(
                        domain.text(), IMPLICIT_MX_PREFERENCE, found.addresses(), smtpPort, false))), ttl);
            }
            if (found.temporaryFailure().isPresent()) {
                return resolved(new Route.TemporaryFailure(
                        domain + " has no MX; its own address lookup failed: " + found.temporaryFailure().get()), ttl);
            }
            return resolved(new Route.NoMailExchanger(domain + " has neither MX nor A/AAAA records"), ttl);
        });
    }

    private CompletableFuture<ResolvedRoute> done(Route route, long answersTtl) {
        return CompletableFuture.completedFuture(resolved(route, answersTtl));
    }

    private ResolvedRoute resolved(Route route, long answersTtl) {
        return new ResolvedRoute(route, ttlPolicy.ttlOf(route, answersTtl));
    }
}
