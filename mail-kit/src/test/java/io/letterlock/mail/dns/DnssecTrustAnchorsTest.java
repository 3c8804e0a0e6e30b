package io.letterlock.mail.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Record;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in root trust anchors are the IANA root KSKs, digest for digest. */
class DnssecTrustAnchorsTest {

    /**
     * The root KSKs as DNSKEY records, from Debian's dns-root-data 2024071801 (/usr/share/dns/root.key),
     * which takes them from IANA's root-anchors.xml. The shipped DS records must be their SHA-256 digests.
     */
    private static final String ROOT_KSKS = """
            . IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=
            . IN DNSKEY 257 3 8 AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=
            """;

    @Test
    void shipsTheDsRecordsOfKsk2017AndKsk2024() {
        List<DSRecord> anchors = builtIn();

        assertThat(anchors).extracting(DSRecord::getFootprint).containsExactly(20326, 38696);
        assertThat(anchors).extracting(DSRecord::getAlgorithm).containsOnly(DNSSEC.Algorithm.RSASHA256);
        assertThat(anchors).extracting(DSRecord::getDigestID).containsOnly(DNSSEC.Digest.SHA256);
    }

    @Test
    void eachShippedDsIsTheDigestOfARootKsk() {
        List<DSRecord> fromKeys = DnssecTrustAnchors.parse(ROOT_KSKS, "root.key").stream()
                .map(DNSKEYRecord.class::cast)
                .map(key -> new DSRecord(key.getName(), key.getDClass(), 0, DNSSEC.Digest.SHA256, key))
                .toList();

        assertThat(builtIn()).extracting(DSRecord::rdataToString)
                .containsExactlyElementsOf(fromKeys.stream().map(DSRecord::rdataToString).toList());
    }

    private static List<DSRecord> builtIn() {
        List<Record> records = DnssecTrustAnchors.parse(DnssecTrustAnchors.text(Optional.empty()), "built-in");
        return records.stream().map(DSRecord.class::cast).toList();
    }
}
