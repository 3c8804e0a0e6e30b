package io.letterlock.mail.tlsrpt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.dane.TlsaRecords;
import io.letterlock.mail.mtasts.CachedPolicy;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.MxPattern;
import io.letterlock.mail.mtasts.PolicyFetch;
import io.letterlock.mail.mtasts.PolicyLookup;
import io.letterlock.mail.mtasts.PolicyMode;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8460 §4.3 as a table: what each session with an MX host counts as, by the policy it was held
 * to ({@code none} = no receiver policy, {@code sts} = MTA-STS enforce, {@code sts-testing},
 * {@code tlsa} = DANE with a usable record, {@code tlsa-unusable} = DANE with none usable) and what
 * the session showed.
 */
class TlsRptDecisionsTest {

    private static final EffectiveTlsPolicy OPPORTUNISTIC = new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2,
            true, EffectiveTlsPolicy.SOURCE_DEFAULT);
    private static final String MX = "mx1.example.com";
    private static final TlsaAssociation DANE_EE = new TlsaAssociation(3, 1, 1, HexFormat.of().parseHex("0a1b2c3d"));
    private static final TlsaAssociation PKIX_EE = new TlsaAssociation(1, 1, 1, HexFormat.of().parseHex("ff00"));
    private static final String POLICY_TEXT = "version: STSv1\nmode: %s\nmx: *.example.com\nmax_age: 86400\n";

    private static MtaStsPolicy sts(PolicyMode mode) {
        return new MtaStsPolicy(mode, List.of(MxPattern.parse("*.example.com").orElseThrow()), Duration.ofDays(1),
                POLICY_TEXT.formatted(mode.text()));
    }

    private static HostTlsPolicy host(String policy) {
        return switch (policy) {
            case "none", "sts-testing" -> HostTlsPolicy.senderOnly(OPPORTUNISTIC);
            case "sts" -> new HostTlsPolicy(OPPORTUNISTIC, new ReceiverPolicy.MtaStsEnforce(sts(PolicyMode.ENFORCE)));
            case "tlsa" -> new HostTlsPolicy(OPPORTUNISTIC, new ReceiverPolicy.Dane(new DaneState.Authenticate(MX,
                    List.of(MX), List.of(DANE_EE), List.of())));
            case "tlsa-unusable" -> new HostTlsPolicy(OPPORTUNISTIC, new ReceiverPolicy.Dane(new DaneState.EncryptOnly(MX,
                    List.of(new TlsaRecords.Unusable(PKIX_EE, "PKIX-EE is not used for SMTP")))));
            default -> throw new IllegalArgumentException(policy);
        };
    }

    private static Optional<MtaStsPolicy> observed(String policy) {
        return policy.equals("sts-testing") ? Optional.of(sts(PolicyMode.TESTING)) : Optional.empty();
    }

    private static SessionTls seen(String session) {
        return switch (session) {
            case "no-starttls" -> new SessionTls.NoStartTls();
            case "starttls-refused" -> new SessionTls.StartTlsRefused("STARTTLS refused: 454 4.7.0 not now");
            case "handshake-failed" -> new SessionTls.HandshakeFailed("TLS handshake failed: alert 40");
            case "injected" -> new SessionTls.Injected("data injected after STARTTLS");
            case "valid" -> new SessionTls.Negotiated(CertificateVerdict.valid());
            case "cleartext-by-choice" -> new SessionTls.CleartextByChoice();
            default -> new SessionTls.Negotiated(CertificateVerdict.bad(CertificateProblem.valueOf(session)));
        };
    }

    private static String classify(String policy, String session, String mxHost) {
        return TlsRptDecisions.session(host(policy), observed(policy), mxHost, seen(session))
                .map(result -> result.policy().type().text() + " " + result.result().text())
                .orElse("not reported");
    }

    @ParameterizedTest(name = "{0}, {1} -> {2}")
    @CsvSource({
            "none,          valid,               no-policy-found success",
            "none,          no-starttls,         no-policy-found starttls-not-supported",
            "none,          starttls-refused,    no-policy-found starttls-not-supported",
            "none,          handshake-failed,    no-policy-found validation-failure",
            "none,          injected,            no-policy-found validation-failure",
            "none,          EXPIRED,             no-policy-found certificate-expired",
            "none,          NAME_MISMATCH,       no-policy-found certificate-host-mismatch",
            "none,          SELF_SIGNED,         no-policy-found certificate-not-trusted",
            "none,          UNTRUSTED,           no-policy-found certificate-not-trusted",
            "none,          NOT_YET_VALID,       no-policy-found validation-failure",
            "none,          NOT_FOR_SERVER_AUTH, no-policy-found validation-failure",
            "none,          cleartext-by-choice, not reported",
            "sts,           valid,               sts success",
            "sts,           no-starttls,         sts starttls-not-supported",
            "sts,           EXPIRED,             sts certificate-expired",
            "sts,           NAME_MISMATCH,       sts certificate-host-mismatch",
            "sts,           SELF_SIGNED,         sts certificate-not-trusted",
            "sts,           handshake-failed,    sts validation-failure",
            "sts-testing,   valid,               sts success",
            "sts-testing,   no-starttls,         sts starttls-not-supported",
            "sts-testing,   EXPIRED,             sts certificate-expired",
            "tlsa,          valid,               tlsa success",
            "tlsa,          UNTRUSTED,           tlsa tlsa-invalid",
            "tlsa,          no-starttls,         tlsa dane-required",
            "tlsa,          starttls-refused,    tlsa dane-required",
            "tlsa,          handshake-failed,    tlsa validation-failure",
            "tlsa-unusable, SELF_SIGNED,         tlsa success",
            "tlsa-unusable, no-starttls,         tlsa dane-required",
    })
    void classifiesEachSessionByPolicyAndWhatItShowed(String policy, String session, String expected) {
        assertThat(classify(policy, session, MX)).isEqualTo(expected);
    }

    @Test
    void reportsAValidSessionWithAnMxTheTestingPolicyDoesNotListAsValidationFailure() {
        assertThat(classify("sts-testing", "valid", "mx.elsewhere.example")).isEqualTo("sts validation-failure");
    }

    @Test
    void namesTheTlsaRecordsInPresentationFormAsPolicyStrings() {
        ReportedResult result = TlsRptDecisions.session(host("tlsa"), Optional.empty(), MX, seen("UNTRUSTED")).orElseThrow();

        assertThat(result.policy().strings()).containsExactly("3 1 1 0a1b2c3d");
        assertThat(result.policy().mxHostPatterns()).isEmpty();
        assertThat(result.detail()).contains(CertificateProblem.UNTRUSTED.description());
    }

    @Test
    void namesTheMtaStsPolicyLinesAndMxPatterns() {
        ReportedResult result = TlsRptDecisions.session(host("sts"), Optional.empty(), MX, seen("valid")).orElseThrow();

        assertThat(result.policy().strings())
                .containsExactly("version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 86400");
        assertThat(result.policy().mxHostPatterns()).containsExactly("*.example.com");
        assertThat(result.detail()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "FETCH_ERROR,    sts-policy-fetch-error",
            "POLICY_INVALID, sts-policy-invalid",
            "WEBPKI_INVALID, sts-webpki-invalid",
    })
    void reportsAnMtaStsPolicyThatCouldNotBeFetchedBeforeAnySession(PolicyFetch.FetchFailure kind, String expected) {
        PolicyLookup lookup = new PolicyLookup.NoPolicy("no policy",
                Optional.of(new PolicyFetch.FetchFailed(kind, "HTTP 404")));

        List<ReportedResult> failures = TlsRptDecisions.beforeSessions(Optional.of(lookup), Map.of());

        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.policy().type().text()).isEqualTo("sts");
            assertThat(failure.result().text()).isEqualTo(expected);
            assertThat(failure.mxHost()).isEmpty();
            assertThat(failure.detail()).contains("HTTP 404");
        });
    }

    @Test
    void reportsAFailedRefreshUnderTheKeptPolicyThatStillApplies() {
        CachedPolicy kept = CachedPolicy.fetched("example.com", "20261201", sts(PolicyMode.ENFORCE),
                Instant.parse("2026-12-01T00:00:00Z"));
        PolicyLookup lookup = new PolicyLookup.Applies(kept, Optional.of(new PolicyFetch.FetchFailed(
                PolicyFetch.FetchFailure.WEBPKI_INVALID, "certificate expired")));

        List<ReportedResult> failures = TlsRptDecisions.beforeSessions(Optional.of(lookup), Map.of());

        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.policy()).isEqualTo(ReportedPolicy.sts(kept.policy()));
            assertThat(failure.result()).isEqualTo(TlsRptResultType.STS_WEBPKI_INVALID);
            assertThat(failure.mxHost()).isEmpty();
            assertThat(failure.detail()).contains("refreshing the kept policy: certificate expired");
        });
        assertThat(TlsRptDecisions.beforeSessions(Optional.of(new PolicyLookup.Applies(kept, Optional.empty())), Map.of()))
                .as("a kept policy refreshed or not yet due").isEmpty();
    }

    @Test
    void reportsAnMxAnEnforcedPolicyDoesNotListButNoOtherRefusal() {
        CachedPolicy kept = CachedPolicy.fetched("example.com", "1", sts(PolicyMode.ENFORCE),
                Instant.parse("2026-12-01T00:00:00Z"));
        Optional<PolicyLookup> lookup = Optional.of(new PolicyLookup.Applies(kept, Optional.empty()));
        HostRequirement.Refused bySts = new HostRequirement.Refused("not listed", ReceiverPolicy.SOURCE_MTA_STS);

        assertThat(TlsRptDecisions.unlistedMx(lookup, "mx.attacker.test", bySts)).hasValueSatisfying(failure -> {
            assertThat(failure.policy()).isEqualTo(ReportedPolicy.sts(kept.policy()));
            assertThat(failure.result()).isEqualTo(TlsRptResultType.VALIDATION_FAILURE);
            assertThat(failure.mxHost()).contains("mx.attacker.test");
        });
        assertThat(TlsRptDecisions.unlistedMx(lookup, "mx.attacker.test",
                new HostRequirement.Refused("DANE: SERVFAIL", ReceiverPolicy.SOURCE_DANE))).as("DANE's refusal").isEmpty();
        assertThat(TlsRptDecisions.unlistedMx(Optional.empty(), "mx.attacker.test", bySts)).isEmpty();
    }

    @Test
    void reportsABogusDaneLookupAsDnssecInvalidButNotAFailedOne() {
        List<ReportedResult> failures = TlsRptDecisions.beforeSessions(Optional.empty(), Map.of(
                "mx1.example.com", new DaneState.Tempfail("TLSA lookup failed: bogus signature", true),
                "mx2.example.com", new DaneState.Tempfail("TLSA lookup failed: SERVFAIL")));

        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.result()).isEqualTo(TlsRptResultType.DNSSEC_INVALID);
            assertThat(failure.mxHost()).contains("mx1.example.com");
        });
    }

    @Test
    void reportsNothingBeforeSessionsWhenNoPolicyWasAnnounced() {
        PolicyLookup none = new PolicyLookup.NoPolicy("no _mta-sts record", Optional.empty());

        assertThat(TlsRptDecisions.beforeSessions(Optional.of(none), Map.of())).isEmpty();
    }
}
