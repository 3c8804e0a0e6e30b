package io.letterlock.bench;

import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The receiving domains found as on the Internet, through DNS with DANE: a DNSSEC-signed zone on an
 * in-JVM DNS server gives each domain of the routes an MX host of its own ({@code mx.<domain>}), its
 * address, and a DANE-EE TLSA record (3 1 1) of the servers' certificate, so that every message's
 * route comes from an MX lookup and DANE's DNSSEC-checked questions (RFC 7672) decide its TLS.
 * Letterlock is pointed at it ({@link #letterlockEnvironment}): the server as its resolver, the
 * zone's key as its only trust anchor, the servers' port as the MX port, and the routes' loopback
 * address allowed (found in DNS, it would be refused). Postfix keeps its transport maps.
 *
 * <p>The routes must share one port (delivery has one MX port) and name the server by address.
 */
final class SignedMx implements AutoCloseable {

    private final TestDnsServer dns;
    private final Path anchor;
    private final int port;
    private final String address;

    private SignedMx(TestDnsServer dns, Path anchor, int port, String address) {
        this.dns = dns;
        this.anchor = anchor;
        this.port = port;
        this.address = address;
    }

    /**
     * @param routes      domain to {@code address:port}, as {@code BENCH_ROUTES} gives them
     * @param certificate the PEM of the certificate the servers present ({@code BENCH_DANE_CERT})
     */
    static SignedMx serve(Map<String, String> routes, Path certificate, Path data) throws IOException {
        Set<String> servers = new HashSet<>(routes.values());
        if (servers.size() != 1) {
            throw new IllegalArgumentException("BENCH_DNS=dane needs every route at one server (delivery has one MX "
                    + "port), not " + servers);
        }
        String server = servers.iterator().next();
        String address = server.substring(0, server.lastIndexOf(':'));
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        Map<String, SignedZone> zones = new LinkedHashMap<>();
        byte[] spkiSha256 = spkiSha256(certificate);
        for (String domain : routes.keySet()) {
            String parent = domain.substring(domain.indexOf('.') + 1);
            String mx = "mx." + domain;
            zones.computeIfAbsent(parent, SignedZone::create)
                    .mx(domain, 10, mx).a(mx, address).tlsa("_" + port + "._tcp." + mx, 3, 1, 1, spkiSha256);
        }
        if (zones.size() != 1) {
            throw new IllegalArgumentException("BENCH_DNS=dane needs the domains under one parent, not " + zones.keySet());
        }
        SignedZone zone = zones.values().iterator().next();
        TestDnsServer dns = TestDnsServer.start();
        dns.serve(zone);
        Path anchor = Files.writeString(data.resolve("dane-anchor"), zone.trustAnchor());
        return new SignedMx(dns, anchor, port, address);
    }

    /** Where Letterlock finds its servers instead of {@code LETTERLOCK_ROUTES}. */
    Map<String, String> letterlockEnvironment() {
        return Map.of(
                "LETTERLOCK_DNS_RESOLVER", dns.hostAndPort(),
                "LETTERLOCK_DANE_TRUST_ANCHOR_FILE", anchor.toString(),
                "LETTERLOCK_SMTP_PORT", String.valueOf(port),
                "LETTERLOCK_DELIVERY_ALLOW", address + (address.contains(":") ? "/128" : "/32"));
    }

    /** Questions the DNS server was asked so far. */
    int questions() {
        return dns.queryCount();
    }

    private static byte[] spkiSha256(Path certificate) throws IOException {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate)));
            return MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the servers' certificate " + certificate, e);
        }
    }

    @Override
    public void close() {
        dns.close();
    }
}
