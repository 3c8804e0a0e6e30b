package io.letterlock.bench;

import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.dns.DnssecCaching;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.mail.tls.ReceiverPolicy;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What DANE (RFC 7672) costs delivery a message: for each one, the receiving domain's MX RRset and
 * each MX host's A, AAAA and TLSA records, DNSSEC-checked in the service
 * ({@code ReceiverPolicyLookup.find}, as a delivery attempt asks it). Against a signed zone served
 * by an in-JVM DNS server over real UDP, validated from the zone's own trust anchor; every domain
 * has two MX hosts with DANE-EE TLSA records, as a DANE-signed mail provider does. Each setting
 * runs the same messages, one at a time, round-robin over the domains: with the answers kept as
 * delivery keeps them ({@code letterlock.dns.cache.*} defaults) and with nothing kept (every question
 * asked and checked again, as before 2026-12-06).
 *
 * <p>CPU is the whole JVM's less the DNS server's threads (which sign each answer as they send it),
 * dead threads included (dnsjava's validator runs some steps on short-lived pool threads). This JVM
 * compiles tiered, delivery-service with C1 alone: delivery's own figure is likely higher.
 *
 * <p>Usage: {@code bench/run dane-lookups [messages] [domains] [warm-up]} (2000, 50, 1000).
 */
public final class DaneLookupBenchmark {

    private static final String ZONE = "dane.bench";
    private static final DnssecCaching DELIVERY_DEFAULTS = new DnssecCaching(100_000, Duration.ofHours(1),
            Duration.ofMinutes(5), Duration.ofSeconds(5));

    private record Row(String setting, int messages, double seconds, double cpuSeconds, double serverCpuSeconds,
                       int questions) {
    }

    public static void main(String[] args) {
        BenchMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int domains = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        SignedZone zone = SignedZone.create(ZONE);
        for (int d = 0; d < domains; d++) {
            for (int mx = 1; mx <= 2; mx++) {
                String host = "mx" + mx + "." + domain(d);
                zone.mx(domain(d), 10 * mx, host).a(host, "192.0.2." + mx)
                        .tlsa("_25._tcp." + host, 3, 1, 1, new byte[32]);
            }
        }
        Path dir = Files.createDirectories(Path.of("bench/target/dane-lookups"));
        Path anchor = Files.writeString(dir.resolve("anchor"), zone.trustAnchor());
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.serve(zone);
            Row kept = measure("kept (delivery's default)", dns, anchor, DELIVERY_DEFAULTS, messages, domains, warmUp);
            Row asked = measure("not kept (each message asks)", dns, anchor, DnssecCaching.NONE, messages, domains,
                    warmUp);
            System.out.println();
            System.out.printf("DANE lookups a message (ReceiverPolicyLookup.find): %d domains, 2 MX hosts each with "
                    + "TLSA records, DNSSEC validated in-process, one message at a time, after %d of warm-up, %d cores%n",
                    domains, warmUp, Runtime.getRuntime().availableProcessors());
            System.out.println("| DNSSEC answers | messages | messages/s | ms a message | CPU ms a message: lookups "
                    + "| the DNS server | questions to DNS a message |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Row row : List.of(kept, asked)) {
                System.out.printf("| %s | %d | %,.0f | %.3f | %.3f | %.3f | %.2f |%n", row.setting(), row.messages(),
                        row.messages() / row.seconds(), 1000 * row.seconds() / row.messages(),
                        1000 * row.cpuSeconds() / row.messages(), 1000 * row.serverCpuSeconds() / row.messages(),
                        (double) row.questions() / row.messages());
            }
        }
    }

    private static Row measure(String setting, TestDnsServer dns, Path anchor, DnssecCaching caching, int messages,
                               int domains, int warmUp) {
        DnssecResolver resolver = DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                Duration.ofSeconds(5), Duration.ofSeconds(10), DnssecMode.VALIDATE, Optional.of(anchor), caching));
        ReceiverPolicyLookup lookup = new ReceiverPolicyLookup(Optional.of(new DaneLookup(resolver)), Optional.empty(),
                Optional.empty(), ReceiverEvents.NONE);
        send(lookup, 0, warmUp, domains);
        dns.resetQueryCounts();
        long pid = ProcessHandle.current().pid();
        double cpuBefore = ProcessStats.of(pid).cpuSeconds();
        double serverBefore = ThreadCpu.of(pid).secondsOf("test-dns");
        long started = System.nanoTime();
        send(lookup, warmUp, messages, domains);
        double seconds = (System.nanoTime() - started) / 1e9;
        double server = ThreadCpu.of(pid).secondsOf("test-dns") - serverBefore;
        double cpu = ProcessStats.of(pid).cpuSeconds() - cpuBefore - server;
        System.out.printf("  %s: %d messages in %.1f s%n", setting, messages, seconds);
        return new Row(setting, messages, seconds, cpu, server, dns.queryCount());
    }

    /** One message at a time: the DANE requirement of each MX host, checked to be DANE's. */
    private static void send(ReceiverPolicyLookup lookup, int first, int count, int domains) {
        for (int m = first; m < first + count; m++) {
            String domain = domain(m % domains);
            List<Destination> destinations = List.of(destination("mx1." + domain, 10, 1),
                    destination("mx2." + domain, 20, 2));
            Map<String, HostRequirement> required = lookup.find(domain, destinations).join().requirements();
            if (required.size() != 2 || !required.values().stream().allMatch(DaneLookupBenchmark::isDane)) {
                throw new IllegalStateException("message " + m + " to " + domain + ": DANE did not apply to both "
                        + "MX hosts: " + required);
            }
        }
    }

    private static boolean isDane(HostRequirement requirement) {
        return requirement instanceof HostRequirement.Applies applies
                && applies.policy() instanceof ReceiverPolicy.Dane;
    }

    private static Destination destination(String host, int preference, int last) {
        try {
            return new Destination(host, preference, List.of(InetAddress.getByAddress(host, new byte[]{(byte) 192, 0, 2,
                    (byte) last})), 25, false);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String domain(int d) {
        return "d" + d + "." + ZONE;
    }
}
