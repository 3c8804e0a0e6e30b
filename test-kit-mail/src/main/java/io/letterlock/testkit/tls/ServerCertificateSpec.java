package io.letterlock.testkit.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a leaf server certificate should say: the names it is for, when it is valid, its key type.
 * Tests choose the dates so that expiry can be tested without waiting for it.
 *
 * @param names     host names for the subjectAltName extension, first one also the subject CN;
 *                  wildcards such as {@code *.mx.example} are allowed (RFC 6125 §6.4.3), and an
 *                  IP literal ({@code 127.0.0.1}, {@code ::1}) becomes an iPAddress entry instead
 *                  of a dNSName
 * @param notBefore start of validity
 * @param notAfter  end of validity
 * @param keyType   the leaf's key type (the signature follows the issuer's key type)
 * @param extendedKeyUsage the purposes in the extendedKeyUsage extension, serverAuth by default;
 *                  empty leaves the extension out (RFC 5280 §4.2.1.12: then any purpose)
 */
public record ServerCertificateSpec(List<String> names, Instant notBefore, Instant notAfter, KeyType keyType,
                                    List<KeyPurpose> extendedKeyUsage) {

    /** Issued leaves are valid this long from now unless the test says otherwise. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    /** Validity starts this far back so a clock a little behind ours still accepts the leaf. */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofHours(1);

    public ServerCertificateSpec {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(keyType, "keyType");
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
    }

    /** Valid from an hour ago for {@link #DEFAULT_VALIDITY}, EC P-256, extendedKeyUsage serverAuth. */
    public static ServerCertificateSpec forNames(String... names) {
        Instant now = Instant.now();
        return new ServerCertificateSpec(List.of(names), now.minus(CLOCK_SKEW_ALLOWANCE),
                now.plus(DEFAULT_VALIDITY), KeyType.EC_P256, List.of(KeyPurpose.SERVER_AUTH));
    }

    public ServerCertificateSpec withValidity(Instant notBefore, Instant notAfter) {
        return new ServerCertificateSpec(names, notBefore, notAfter, keyType, extendedKeyUsage);
    }

    public ServerCertificateSpec withKeyType(KeyType keyType) {
        return new ServerCertificateSpec(names, notBefore, notAfter, keyType, extendedKeyUsage);
    }

    /** These purposes in extendedKeyUsage instead of serverAuth; none leaves the extension out. */
    public ServerCertificateSpec withExtendedKeyUsage(KeyPurpose... purposes) {
        return new ServerCertificateSpec(names, notBefore, notAfter, keyType, List.of(purposes));
    }
}
