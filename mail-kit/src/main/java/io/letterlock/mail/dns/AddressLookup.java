package io.letterlock.mail.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** The addresses of one host: its A and AAAA records, asked for at the same time. */
public final class AddressLookup {

    // Outside route caching nobody caps a TTL: the answer's own TTL is reported as it came.
    private static final TtlPolicy AS_PUBLISHED = new TtlPolicy(Long.MAX_VALUE, Long.MAX_VALUE, 0);

    private final DnsClient dns;
    private final TtlPolicy ttlPolicy;

    /** Asks {@code dns}; TTLs as the answers carry them, a failure as 0. */
    public AddressLookup(DnsClient dns) {
        this(dns, AS_PUBLISHED);
    }

    AddressLookup(DnsClient dns, TtlPolicy ttlPolicy) {
        this.dns = dns;
        this.ttlPolicy = ttlPolicy;
    }

    /** Never completes exceptionally: a failed lookup is {@link HostAddresses#temporaryFailure()}. */
    public CompletableFuture<HostAddresses> addressesOf(Name host) {
        CompletableFuture<DnsAnswer> ipv4 = dns.ask(host, Type.A);
        CompletableFuture<DnsAnswer> ipv6 = dns.ask(host, Type.AAAA);
        return ipv4.thenCombine(ipv6, (a, aaaa) -> combine(host.toString(true), a, aaaa));
    }

    private HostAddresses combine(String host, DnsAnswer a, DnsAnswer aaaa) {
        // IPv4 before IPv6: a sender's network without an IPv6 route would otherwise fail its first
        // try at every host, and receivers judge IPv6 senders more strictly (reverse DNS, reputation).
        List<InetAddress> addresses = new ArrayList<>(addressesIn(host, a));
        addresses.addAll(addressesIn(host, aaaa));
        long ttl = Math.min(ttlPolicy.ttlOf(a), ttlPolicy.ttlOf(aaaa));
        Optional<String> failure = Stream.of(a, aaaa)
                .filter(DnsAnswer.Failed.class::isInstance)
                .map(answer -> ((DnsAnswer.Failed) answer).reason())
                .findFirst();
        return new HostAddresses(addresses, ttl, failure);
    }

    private static List<InetAddress> addressesIn(String host, DnsAnswer answer) {
        if (!(answer instanceof DnsAnswer.Found found)) {
            return List.of();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : found.records()) {
            InetAddress address = record instanceof ARecord a ? a.getAddress() : ((AAAARecord) record).getAddress();
            addresses.add(named(host, address));
        }
        return addresses;
    }

    /**
     * Carries the host name in the address, so that logging it or asking its name never triggers
     * a blocking reverse lookup.
     */
    private static InetAddress named(String host, InetAddress address) {
        try {
            return InetAddress.getByAddress(host, address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address record held " + address.getAddress().length + " bytes", e);
        }
    }
}
