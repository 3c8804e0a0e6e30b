package io.letterlock.service.reach;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings delivery and the TLS check share, under delivery's key names (README, "Configuration").
 * Each service keeps its own keys beside them under the same prefixes (delivery's route cache
 * {@code letterlock.dns.cache.*}, its {@code letterlock.delivery.*} worker settings, DANE and MTA-STS
 * on/off and timeouts): SmallRye Config maps several interfaces under one prefix, each reading its own
 * names ({@code ReachConfigTest}).
 */
public final class ReachConfig {

    public static final String RESOLVER = "letterlock.dns.resolver";
    public static final String QUERY_TIMEOUT = "letterlock.dns.query-timeout";
    public static final String MAX_MX_HOSTS = "letterlock.dns.max-mx-hosts";
    public static final String ROUTES = "letterlock.routes";
    public static final String SMTP_PORT = "letterlock.smtp.port";
    public static final String TRUST_PEM = "letterlock.trust-pem";
    public static final String ALLOW = "letterlock.delivery.allow";
    public static final String HELO_NAME = "letterlock.delivery.helo-name";
    public static final String DNSSEC_MODE = "letterlock.dane.dnssec-mode";
    public static final String TRUST_ANCHOR_FILE = "letterlock.dane.trust-anchor-file";
    public static final String POLICY_PORT = "letterlock.mta-sts.policy-port";

    private ReachConfig() {
    }

    /** The resolver every lookup asks: MX hosts and their addresses, MTA-STS records, DNSSEC for DANE. */
    @ConfigMapping(prefix = "letterlock.dns")
    public interface Dns {

        /**
         * The recursive resolver to ask, {@code host[:port]} (port 53 if omitted; {@code [v6]:port} for
         * IPv6), env {@code LETTERLOCK_DNS_RESOLVER}. Unset: the system's nameservers from
         * /etc/resolv.conf.
         */
        Optional<String> resolver();

        /** How long one DNS question may take, retries included, before the lookup is a temporary failure. */
        @WithDefault("5s")
        Duration queryTimeout();

        /** At most this many MX hosts of a domain are resolved and tried, best preference first. */
        @WithDefault("5")
        int maxMxHosts();
    }

    /** Static routes that override DNS for some domains (mail-kit's {@code StaticRoutes} for the format). */
    @ConfigMapping(prefix = "letterlock.routes")
    public interface Routes {

        /**
         * {@code domain=host[:port][;match=name],domain2=host2[:port2]}, env {@code LETTERLOCK_ROUTES};
         * unset: none, every domain goes by its MX records. {@code ;match=} names the host the server's
         * certificate must carry, when it is not the route's host (always needed to require a valid
         * certificate through a route to an IP address). The operator's own: their addresses are
         * reached even when private, and DANE and MTA-STS are not looked up for them.
         */
        @WithParentName
        Optional<String> routes();
    }

    /** The port mail exchangers are reached on. */
    @ConfigMapping(prefix = "letterlock.smtp")
    public interface Smtp {

        /**
         * The SMTP port of MX hosts (and of static routes that name none), env
         * {@code LETTERLOCK_SMTP_PORT}. 25 on the Internet (RFC 5321 §4.5.4.2); tests point it at
         * their own servers.
         */
        @WithDefault("25")
        int port();
    }

    /** Whose certificates MX hosts and MTA-STS policy hosts may present. */
    @ConfigMapping(prefix = "letterlock.trust-pem")
    public interface Trust {

        /** Extra CAs (PEM) trusted besides the JVM's, never instead of them, env {@code LETTERLOCK_TRUST_PEM}. */
        @WithParentName
        Optional<Path> trustPem();
    }

    /**
     * The two {@code letterlock.delivery.*} keys every connection to a receiving domain follows: where
     * DNS may lead it, and the name it gives. Delivery's other {@code letterlock.delivery.*} keys are
     * its own (its {@code DeliveryConfig}).
     */
    @ConfigMapping(prefix = "letterlock.delivery")
    public interface Delivery {

        /**
         * CIDR ranges MX addresses found in DNS may be in although loopback, private, link-local or
         * otherwise not public (LETTERLOCK_DELIVERY_ALLOW, comma-separated). Empty: such an address is
         * never connected to, by delivery (the domain's mail bounces) nor by the TLS check. Static
         * routes need no entry here.
         */
        Optional<List<String>> allow();

        /** The name given in EHLO; the machine's host name when unset. */
        Optional<String> heloName();
    }

    /** How DANE's DNSSEC answers are judged; whether DANE is honoured at all is each service's own switch. */
    @ConfigMapping(prefix = "letterlock.dane")
    public interface Dane {

        /**
         * {@code validate}: check DNSSEC here, from the trust anchor; {@code trust-resolver-ad}: believe
         * the AD bit of {@code letterlock.dns.resolver}, for an operator's own validating resolver.
         */
        @WithDefault("validate")
        String dnssecMode();

        /** DS or DNSKEY records to validate from; the IANA root KSKs when unset. */
        Optional<Path> trustAnchorFile();
    }

    /** Where MTA-STS policies are fetched; whether they are honoured, and how long a fetch may take, is each service's own. */
    @ConfigMapping(prefix = "letterlock.mta-sts")
    public interface MtaSts {

        /** The HTTPS port of {@code mta-sts.<domain>}: 443 (RFC 8461 §3.3); another only for tests. */
        @WithDefault("443")
        int policyPort();
    }

    /** The EHLO name: {@code letterlock.delivery.helo-name}, else this machine's canonical host name. */
    public static String heloName(Delivery delivery) {
        return delivery.heloName().filter(name -> !name.isBlank()).orElseGet(ReachConfig::hostName);
    }

    /**
     * The numbers a builder could only name generically, each checked with the key operators write,
     * so that a bad value stops the start saying which key to fix.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static void requireUsable(Dns dns, Smtp smtp) {
        requireAtLeast(1, dns.maxMxHosts(), MAX_MX_HOSTS);
        requireAtLeast(1, dns.queryTimeout().toMillis(), QUERY_TIMEOUT + " (in ms)");
        requireAtLeast(1, smtp.port(), SMTP_PORT);
    }

    /**
     * Builds something from one key's value (a mail-kit object from plain values), prefixing the key
     * to the builder's {@link IllegalArgumentException}: {@code letterlock.routes: bad entry …}.
     */
    public static <T> T fromKey(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static void requireAtLeast(long minimum, long value, String key) {
        if (value < minimum) {
            throw new IllegalArgumentException(key + " must be at least " + minimum + ", not " + value);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
