package io.letterlock.mail.dane;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DANE behaviour table, cell by cell: the DANE state of the MX host, then what the attempt does
 * before connecting, when the server offers no STARTTLS, when it refuses STARTTLS, when the
 * handshake fails, when the chain matches the TLSA records and when it does not.
 * {@code next-mx}: nothing sent to this host, try the next; {@code account}: DANE has nothing to say.
 */
class DaneDecisionsTest {

    private static final TlsaAssociation EE = new TlsaAssociation(3, 1, 1, new byte[32]);
    private static final DaneVerdict MATCHED = DaneVerdict.matched("DANE-EE(3) SPKI(1) SHA2-256(1) matched");
    private static final DaneVerdict NOT_MATCHED = DaneVerdict.failed(DaneVerdict.NO_MATCH);

    private static DaneState state(String name) {
        return switch (name) {
            case "insecure" -> new DaneState.NotApplicable(DaneOutcome.INSECURE, "MX records not signed");
            case "no-tlsa" -> new DaneState.NotApplicable(DaneOutcome.NOT_APPLICABLE, "no TLSA records");
            case "usable" -> new DaneState.Authenticate("mx.example.com", List.of("mx.example.com"), List.of(EE),
                    List.of());
            case "unusable-only" -> new DaneState.EncryptOnly("mx.example.com",
                    List.of(new TlsaRecords.Unusable(new TlsaAssociation(1, 1, 1, new byte[32]), "PKIX")));
            case "tempfail" -> new DaneState.Tempfail("TLSA lookup of _25._tcp.mx.example.com failed: SERVFAIL");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String kind(DaneDecision decision) {
        if (decision instanceof DaneDecision.NotApplicable) {
            return "account";
        }
        if (decision instanceof DaneDecision.Proceed) {
            return "proceed";
        }
        if (decision instanceof DaneDecision.TryNextMx) {
            return "next-mx";
        }
        return "defer";
    }

    @ParameterizedTest(name = "{0}: connect {1}, no STARTTLS {2}, refused {3}, handshake fails {4}, match {5}, no match {6}")
    @CsvSource({
            "insecure,      account, account, account, account, account, account",
            "no-tlsa,       account, account, account, account, account, account",
            "usable,        proceed, next-mx, next-mx, next-mx, proceed, next-mx",
            "unusable-only, proceed, next-mx, next-mx, next-mx, proceed, proceed",
            "tempfail,      next-mx, next-mx, next-mx, next-mx, next-mx, next-mx"})
    void followsTheBehaviourTable(String stateName, String connect, String noStartTls, String refused,
                                  String handshakeFailed, String matched, String notMatched) {
        DaneState state = state(stateName);

        assertThat(kind(DaneDecisions.beforeConnect(state))).isEqualTo(connect);
        assertThat(kind(DaneDecisions.afterEhlo(state, false))).isEqualTo(noStartTls);
        assertThat(kind(DaneDecisions.afterStartTlsRefused(state, "454 4.7.0 TLS not available"))).isEqualTo(refused);
        assertThat(kind(DaneDecisions.afterHandshakeFailure(state, "TLS handshake failed: bad record MAC")))
                .isEqualTo(handshakeFailed);
        assertThat(kind(DaneDecisions.afterHandshake(state, MATCHED))).isEqualTo(matched);
        assertThat(kind(DaneDecisions.afterHandshake(state, NOT_MATCHED))).isEqualTo(notMatched);
    }

    @Test
    void neverLeavesTheDecisionToAPolicyThatMayChooseCleartextWhenDaneApplies() {
        for (String name : List.of("usable", "unusable-only", "tempfail")) {
            DaneState state = state(name);
            Stream.of(DaneDecisions.beforeConnect(state), DaneDecisions.afterEhlo(state, false),
                            DaneDecisions.afterStartTlsRefused(state, "454"), DaneDecisions.afterHandshakeFailure(state, "x"),
                            DaneDecisions.afterHandshake(state, NOT_MATCHED))
                    .forEach(decision -> assertThat(decision).as(name).isNotInstanceOf(DaneDecision.NotApplicable.class));
        }
    }

    @Test
    void defersWhenNoMxHostIsLeft() {
        assertThat(DaneDecisions.whenNoMxHostLeft(DaneVerdict.NO_MATCH))
                .isEqualTo(new DaneDecision.Defer(DaneVerdict.NO_MATCH));
    }

    @Test
    void givesTheVerdictsReasonWhenTheChainDoesNotMatch() {
        assertThat(DaneDecisions.afterHandshake(state("usable"), NOT_MATCHED))
                .isEqualTo(new DaneDecision.TryNextMx("no TLSA record matched the presented chain"));
        assertThat(DaneDecisions.afterEhlo(state("usable"), false)).isEqualTo(new DaneDecision.TryNextMx(
                "STARTTLS not offered, but TLSA records require TLS (1 usable TLSA record(s) for mx.example.com)"));
    }

    @Test
    void givesTheLookupFailureAsTheReasonToSkipAHost() {
        assertThat(DaneDecisions.beforeConnect(state("tempfail"))).isEqualTo(
                new DaneDecision.TryNextMx("TLSA lookup of _25._tcp.mx.example.com failed: SERVFAIL"));
    }
}
