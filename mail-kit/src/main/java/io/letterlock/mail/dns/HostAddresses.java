package io.letterlock.mail.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the A and AAAA lookups of one host found.
 *
 * @param addresses        IPv4 first, then IPv6; empty when the host has none (or none could be read)
 * @param ttlSeconds       how long this stays valid (the smaller of the two answers' TTLs)
 * @param temporaryFailure why a lookup failed temporarily, if one did; with addresses present the
 *                         host is still usable, with none it may have some later
 */
public record HostAddresses(List<InetAddress> addresses, long ttlSeconds, Optional<String> temporaryFailure) {

    public HostAddresses {
        addresses = List.copyOf(addresses);
    }
}
