package io.letterlock.mail.dane;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.MailDomain;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the {@link DaneState} of an MX host by asking DNS, DNSSEC-checked (RFC 7672 §2.2): the
 * domain's MX RRset, then the host's A and AAAA records, then its TLSA records at
 * {@code _<port>._tcp.<host>}; each step stops as soon as {@link DaneStates} has decided.
 * Never blocks, and every future completes normally (lookup failures are {@link DaneState.Tempfail}).
 *
 * <p>It asks its own questions rather than reuse the route's: {@code MxResolver} caches routes and
 * does not check DNSSEC. The recursive resolver caches the answers, so the repeats cost little.
 */
public final class DaneLookup {

    private final DnssecResolver dns;

    public DaneLookup(DnssecResolver dns) {
        this.dns = dns;
    }

    /**
     * The recipient domain's MX RRset, DNSSEC-checked; ask once per domain and delivery attempt and
     * pass it to {@link #hostState} for each MX host.
     */
    public CompletableFuture<DnssecAnswer> mxRrset(String domain) {
        Optional<MailDomain> parsed = MailDomain.parse(domain);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new DnssecAnswer.Indeterminate("'" + domain + "' is not a domain name"));
        }
        return dns.ask(parsed.get().name(), Type.MX);
    }

    /**
     * The DANE state of one MX host of {@code domain}.
     *
     * @param mxRrset what {@link #mxRrset} found for the domain
     * @param mxHost  the MX host name as the route names it ({@code Destination.mxHost()})
     * @param port    the SMTP port of the route ({@code Destination.port()}): the TLSA records
     *                are looked up at {@code _<port>._tcp.<host>}
     */
    public CompletableFuture<DaneState> hostState(String domain, DnssecAnswer mxRrset, String mxHost, int port) {
        Optional<DaneState> byMx = DaneStates.fromMxRrset(domain, mxRrset);
        if (byMx.isPresent()) {
            return CompletableFuture.completedFuture(byMx.get());
        }
        return addressesThenTlsa(mxHost, port);
    }

    /**
     * The DANE state of a host chosen by configuration rather than by MX records (a static route):
     * with no MX lookup to secure, its address records alone decide whether DANE may apply, as
     * Postfix treats a {@code [host]} next hop.
     */
    public CompletableFuture<DaneState> routedHostState(String host, int port) {
        return addressesThenTlsa(host, port);
    }

    private CompletableFuture<DaneState> addressesThenTlsa(String mxHost, int port) {
        if (MailDomain.looksLikeAddress(mxHost)) {
            return CompletableFuture.completedFuture(new DaneState.NotApplicable(DaneOutcome.NOT_APPLICABLE,
                    mxHost + " is an address; TLSA records belong to names"));
        }
        Optional<MailDomain> host = MailDomain.parse(mxHost);
        if (host.isEmpty()) {
            return CompletableFuture.completedFuture(new DaneState.Tempfail("'" + mxHost + "' is not a host name"));
        }
        Name name = host.get().name();
        CompletableFuture<DnssecAnswer> ipv4 = dns.ask(name, Type.A);
        CompletableFuture<DnssecAnswer> ipv6 = dns.ask(name, Type.AAAA);
        return ipv4.thenCombine(ipv6, List::of).thenCompose(addresses -> {
            Optional<DaneState> byAddresses = DaneStates.fromAddresses(host.get().text(), addresses);
            if (byAddresses.isPresent()) {
                return CompletableFuture.completedFuture(byAddresses.get());
            }
            return tlsa(baseDomains(name, addresses), port);
        });
    }

    /**
     * RFC 7672 §2.2.2: when the host's address records were found through a (secure) CNAME, the TLSA
     * records are looked up first at the name the chain ended at, then at the MX host name; the
     * certificate of a DANE-TA(2) server may carry either name (§3.2.2).
     */
    private static List<Name> baseDomains(Name mxHost, List<DnssecAnswer> addresses) {
        List<Name> names = new ArrayList<>();
        for (DnssecAnswer answer : addresses) {
            if (answer instanceof DnssecAnswer.Answered answered && !answered.canonicalName().equals(mxHost)
                    && !names.contains(answered.canonicalName())) {
                names.add(answered.canonicalName());
            }
        }
        names.add(mxHost);
        return names;
    }

    private CompletableFuture<DaneState> tlsa(List<Name> baseDomains, int port) {
        List<String> referenceIdentifiers = baseDomains.stream().map(name -> name.toString(true)).toList();
        return tlsaAt(baseDomains, 0, port, referenceIdentifiers);
    }

    private CompletableFuture<DaneState> tlsaAt(List<Name> baseDomains, int index, int port,
                                               List<String> referenceIdentifiers) {
        Name base = baseDomains.get(index);
        Name owner;
        try {
            owner = Name.concatenate(Name.fromConstantString("_" + port + "._tcp"), base);
        } catch (NameTooLongException e) {
            return CompletableFuture.completedFuture(new DaneState.Tempfail("_" + port + "._tcp." + base
                    + " is longer than a DNS name may be"));
        }
        return dns.ask(owner, Type.TLSA).thenCompose(answer -> {
            DaneState state = DaneStates.fromTlsa(owner.toString(true), base.toString(true), answer,
                    referenceIdentifiers);
            boolean tryNext = state instanceof DaneState.NotApplicable && index + 1 < baseDomains.size();
            return tryNext ? tlsaAt(baseDomains, index + 1, port, referenceIdentifiers)
                    : CompletableFuture.completedFuture(state);
        });
    }
}
