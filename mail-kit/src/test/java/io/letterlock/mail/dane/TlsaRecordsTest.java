package io.letterlock.mail.dane;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which TLSA records an SMTP client uses (RFC 7672 §3.1, RFC 7671 §9), record by record. */
class TlsaRecordsTest {

    private static TlsaAssociation record(int usage, int selector, int matchingType, int length) {
        return new TlsaAssociation(usage, selector, matchingType, new byte[length]);
    }

    @ParameterizedTest(name = "{0} {1} {2} with {3} bytes: {4}")
    @CsvSource({
            // usage selector matching length -> usable, or the start of the reason
            "3, 1, 1, 32,  usable",
            "3, 0, 1, 32,  usable",
            "3, 1, 2, 64,  usable",
            "3, 0, 0, 300, usable",
            "2, 0, 1, 32,  usable",
            "2, 1, 0, 91,  usable",
            "0, 0, 1, 32,  usage 0 (PKIX) is not for SMTP",
            "1, 1, 1, 32,  usage 1 (PKIX) is not for SMTP",
            "4, 1, 1, 32,  unknown certificate usage 4",
            "255, 1, 1, 32, unknown certificate usage 255",
            "3, 2, 1, 32,  unknown selector 2",
            "3, 1, 3, 32,  unknown matching type 3",
            "3, 1, 1, 20,  a SHA2-256 digest of 20 bytes",
            "3, 1, 2, 32,  a SHA2-512 digest of 32 bytes",
            "3, 1, 0, 0,   no certificate association data"})
    void classifiesEachRecord(int usage, int selector, int matchingType, int length, String expected) {
        TlsaRecords.Classified classified = TlsaRecords.classify(List.of(record(usage, selector, matchingType, length)));

        if (expected.equals("usable")) {
            assertThat(classified.usable()).hasSize(1);
            assertThat(classified.unusable()).isEmpty();
        } else {
            assertThat(classified.usable()).isEmpty();
            assertThat(classified.unusable()).singleElement()
                    .satisfies(unusable -> assertThat(unusable.reason()).startsWith(expected));
        }
    }

    @Test
    void usesOnlyTheStrongerDigestWhereAUsageAndSelectorHaveBoth() {
        TlsaAssociation sha256 = record(3, 1, 1, 32);
        TlsaAssociation sha512 = record(3, 1, 2, 64);
        TlsaAssociation otherSelector = record(3, 0, 1, 32);

        TlsaRecords.Classified classified = TlsaRecords.classify(List.of(sha256, sha512, otherSelector));

        assertThat(classified.usable()).containsExactly(sha512, otherSelector);
        assertThat(classified.unusable()).singleElement()
                .satisfies(unusable -> assertThat(unusable.record()).isEqualTo(sha256));
    }

    @Test
    void aMalformedStrongerDigestDoesNotDisplaceAWeakerOne() {
        TlsaAssociation sha256 = record(3, 1, 1, 32);

        TlsaRecords.Classified classified = TlsaRecords.classify(List.of(sha256, record(3, 1, 2, 32)));

        assertThat(classified.usable()).containsExactly(sha256);
    }

    @Test
    void namesRecordsAsOperatorsWriteThem() {
        TlsaAssociation record = new TlsaAssociation(3, 1, 1, new byte[]{0x0a, 0x1b});

        assertThat(record).hasToString("3 1 1 0a1b");
        assertThat(record.describe()).isEqualTo("DANE-EE(3) SPKI(1) SHA2-256(1)");
        assertThat(record).isEqualTo(new TlsaAssociation(3, 1, 1, new byte[]{0x0a, 0x1b}));
    }
}
