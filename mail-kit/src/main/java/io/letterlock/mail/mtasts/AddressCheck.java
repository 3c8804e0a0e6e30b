package io.letterlock.mail.mtasts;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Whether the policy fetcher may connect to an address its DNS lookup of {@code mta-sts.<domain>}
 * returned. The policy host is named by whoever controls the recipient domain, so without a check
 * a domain could point it at the sender's own network (SSRF); the service plugs in its shared
 * address guard here.
 */
@FunctionalInterface
public interface AddressCheck {

    /** Why this address may not be connected to; empty when it may. */
    Optional<String> refusal(InetAddress address);

    /** Refuses nothing: for tests against servers on 127.0.0.1, never for production. */
    static AddressCheck allowingAll() {
        return address -> Optional.empty();
    }
}
