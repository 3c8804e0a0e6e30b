package io.letterlock.mail.tls;

import io.letterlock.contracts.DomainNames;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Matches the MX host name against a certificate's subjectAltName, as RFC 6125 §6.4 says and as
 * RFC 7672 §3.2.2 / RFC 8461 §4.2 apply it to SMTP: dNSName entries only (the subject CN is not
 * consulted), case-insensitive, A-labels, and a wildcard only as the whole left-most label, matching
 * exactly one label ({@code *.example.com} matches {@code mx.example.com}, not {@code example.com}
 * nor {@code a.mx.example.com}). For a route to an IP literal the iPAddress entries are used.
 */
public final class HostnameMatcher {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostnameMatcher() {
    }

    public static boolean matches(X509Certificate certificate, String host) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        boolean ipLiteral = isIpLiteral(host);
        String reference = ipLiteral ? host : normalise(host);
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (ipLiteral && type == IP_ADDRESS && value.equalsIgnoreCase(reference)) {
                return true;
            }
            if (!ipLiteral && type == DNS_NAME && dnsNameMatches(normalise(value), reference)) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsNameMatches(String presented, String reference) {
        if (!presented.startsWith("*.")) {
            return presented.equals(reference);
        }
        String suffix = presented.substring(1); // ".example.com"
        // A wildcard over a bare public suffix ("*.com") is never honoured.
        if (suffix.indexOf('.', 1) < 0) {
            return false;
        }
        int firstDot = reference.indexOf('.');
        return firstDot > 0 && reference.substring(firstDot).equals(suffix);
    }

    private static String normalise(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            return DomainNames.toAsciiLowerCase(trimmed, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
