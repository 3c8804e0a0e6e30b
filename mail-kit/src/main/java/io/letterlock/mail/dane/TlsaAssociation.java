package io.letterlock.mail.dane;

import org.xbill.DNS.TLSARecord;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The data of one TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the
 * certificate association data. Values are kept as published, also those this client cannot use;
 * {@link TlsaRecords#classify} says which are usable for SMTP.
 *
 * @param usage        RFC 7218 names: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
 * @param selector     0 Cert (the whole certificate), 1 SPKI (its SubjectPublicKeyInfo)
 * @param matchingType 0 Full (the selected bytes themselves), 1 SHA2-256, 2 SHA2-512
 * @param data         the certificate association data
 */
public record TlsaAssociation(int usage, int selector, int matchingType, byte[] data) {

    public static final int PKIX_TA = 0;
    public static final int PKIX_EE = 1;
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    public static final int CERT = 0;
    public static final int SPKI = 1;

    public static final int FULL = 0;
    public static final int SHA2_256 = 1;
    public static final int SHA2_512 = 2;

    public TlsaAssociation {
        data = data.clone();
    }

    public static TlsaAssociation of(TLSARecord record) {
        return new TlsaAssociation(record.getCertificateUsage(), record.getSelector(), record.getMatchingType(),
                record.getCertificateAssociationData());
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@code 3 1 1}: how operators and logs write the three numbers. */
    public String parameters() {
        return usage + " " + selector + " " + matchingType;
    }

    /**
     * {@code 3 1 1 0a1b…} with all of the data in hex: the presentation format of RFC 6698 §2.2,
     * as a TLS report's {@code policy-string} carries it (RFC 8460 §4.4).
     */
    public String presentation() {
        return parameters() + " " + HexFormat.of().formatHex(data);
    }

    /** {@code DANE-EE(3) SPKI(1) SHA2-256(1)} (RFC 7218 §2). */
    public String describe() {
        return name(usage, "PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE") + "(" + usage + ") "
                + name(selector, "Cert", "SPKI") + "(" + selector + ") "
                + name(matchingType, "Full", "SHA2-256", "SHA2-512") + "(" + matchingType + ")";
    }

    private static String name(int value, String... names) {
        return value >= 0 && value < names.length ? names[value] : "unknown";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaAssociation that && usage == that.usage && selector == that.selector
                && matchingType == that.matchingType && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }

    /** {@code 3 1 1 0a1b…}, the presentation format of RFC 6698 §2.2 (data abbreviated past 16 bytes). */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 16));
        return parameters() + " " + hex + (data.length > 16 ? "…" : "");
    }
}
