package io.letterlock.mail.dane;

import io.letterlock.mail.dns.DnssecAnswer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7672 §2.2 as a table: which MX hosts DANE applies to, from the DNSSEC class of the MX RRset
 * and of the host's A and AAAA lookups, and what the TLSA lookup then makes of it.
 */
class DaneStatesTest {

    private static final Name MX = Name.fromConstantString("mx.example.com.");
    private static final Name TLSA = Name.fromConstantString("_25._tcp.mx.example.com.");

    private static DnssecAnswer answer(String kind, Name name, Record... records) {
        return switch (kind) {
            case "secure" -> new DnssecAnswer.Secure(List.of(records), name, true, 300);
            case "insecure" -> new DnssecAnswer.Insecure(List.of(records), name, true, 300);
            case "bogus" -> new DnssecAnswer.Bogus("signature expired");
            case "failed" -> new DnssecAnswer.Indeterminate("SERVFAIL for " + name);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "MX {0}, A {1}, AAAA {2} -> {3}")
    @CsvSource({
            // MX RRset, A, AAAA -> outcome, or "lookup TLSA" when DANE may apply
            "secure,   secure,   secure,   lookup TLSA",
            "insecure, secure,   secure,   INSECURE",
            "insecure, failed,   failed,   INSECURE",
            "bogus,    secure,   secure,   TEMPFAIL",
            "failed,   secure,   secure,   TEMPFAIL",
            "secure,   insecure, secure,   INSECURE",
            "secure,   secure,   insecure, INSECURE",
            "secure,   secure,   failed,   TEMPFAIL",
            "secure,   bogus,    secure,   TEMPFAIL",
            "secure,   insecure, bogus,    TEMPFAIL"})
    void appliesOnlyWhenTheMxRrsetAndTheAddressesAreSecure(String mx, String a, String aaaa, String expected) {
        Optional<DaneState> state = DaneStates.applicability("example.com", answer(mx, MX), "mx.example.com",
                List.of(answer(a, MX), answer(aaaa, MX)));

        assertThat(state.map(s -> s.outcome().name()).orElse("lookup TLSA")).isEqualTo(expected);
    }

    @Test
    void explainsWhyItDoesNotApplyAndWhyItDefers() {
        assertThat(DaneStates.fromMxRrset("example.com", answer("insecure", MX)).orElseThrow())
                .isEqualTo(new DaneState.NotApplicable(DaneOutcome.INSECURE,
                        "the MX records of example.com are not DNSSEC-signed"));
        assertThat(DaneStates.fromMxRrset("example.com", answer("bogus", MX)).orElseThrow())
                .isEqualTo(new DaneState.Tempfail("DNSSEC lookup of the MX records of example.com failed: "
                        + "bogus: signature expired", true));
    }

    @ParameterizedTest(name = "TLSA {0} with {1} -> {2}")
    @CsvSource({
            // TLSA lookup, records (usage selector matching; '-' none) -> outcome
            "secure,   3 1 1,       OK",
            "secure,   2 0 1,       OK",
            "secure,   3 1 1 0 0 1, OK",
            "secure,   0 0 1,       UNUSABLE",
            "secure,   0 0 1 1 1 1, UNUSABLE",
            "secure,   -,           NOT_APPLICABLE",
            "insecure, 3 1 1,       INSECURE",
            "insecure, -,           INSECURE",
            "bogus,    -,           TEMPFAIL",
            "failed,   -,           TEMPFAIL"})
    void followsTheTlsaLookup(String kind, String records, DaneOutcome expected) {
        DaneState state = DaneStates.fromTlsa("_25._tcp.mx.example.com", "mx.example.com",
                answer(kind, TLSA, tlsa(records)), List.of("mx.example.com"));

        assertThat(state.outcome()).isEqualTo(expected);
        assertThat(state.requiresTls()).isEqualTo(expected == DaneOutcome.OK || expected == DaneOutcome.UNUSABLE);
    }

    @Test
    void keepsOnlyTheUsableRecordsToAuthenticateWith() {
        DaneState state = DaneStates.fromTlsa("_25._tcp.mx.example.com", "mx.example.com",
                answer("secure", TLSA, tlsa("3 1 1 1 1 1")), List.of("mx.example.com"));

        assertThat(state).isInstanceOfSatisfying(DaneState.Authenticate.class, authenticate -> {
            assertThat(authenticate.records()).extracting(TlsaAssociation::usage).containsExactly(3);
            assertThat(authenticate.unusable()).extracting(u -> u.record().usage()).containsExactly(1);
            assertThat(authenticate.referenceIdentifiers()).containsExactly("mx.example.com");
        });
    }

    @Test
    void saysWhereNoTlsaRecordsWereFound() {
        DaneState state = DaneStates.fromTlsa("_25._tcp.mx.example.com", "mx.example.com",
                answer("secure", TLSA), List.of("mx.example.com"));

        assertThat(state).isEqualTo(new DaneState.NotApplicable(DaneOutcome.NOT_APPLICABLE,
                "no TLSA records at _25._tcp.mx.example.com"));
    }

    @Test
    void tagsOutcomesForMetrics() {
        assertThat(DaneOutcome.values()).extracting(DaneOutcome::tag)
                .containsExactly("ok", "unusable", "not_applicable", "insecure", "tempfail");
    }

    /** "3 1 1 0 0 1" → two TLSA records with digests of the right length. */
    private static Record[] tlsa(String parameters) {
        if (parameters.equals("-")) {
            return new Record[0];
        }
        String[] numbers = parameters.split(" ");
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < numbers.length; i += 3) {
            int matchingType = Integer.parseInt(numbers[i + 2]);
            records.add(new TLSARecord(TLSA, DClass.IN, 300, Integer.parseInt(numbers[i]),
                    Integer.parseInt(numbers[i + 1]), matchingType, new byte[matchingType == 2 ? 64 : 32]));
        }
        return records.toArray(Record[]::new);
    }
}
