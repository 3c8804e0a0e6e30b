package io.letterlock.mail.mtasts;

import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8461 §4 and §5 as a table: per mode, what an MX host that is unlisted, offers no STARTTLS,
 * refuses it, fails the handshake or shows a bad certificate leads to, and what is reported.
 */
class MtaStsDecisionsTest {

    private static MtaStsPolicy policy(PolicyMode mode) {
        return new MtaStsPolicy(mode,
                mode == PolicyMode.NONE ? List.of() : List.of(MxPattern.parse("*.mx.example.com").orElseThrow()),
                Duration.ofDays(1), "…");
    }

    /** {@code CONTINUE}, {@code CONTINUE reported <type>} or {@code TRY_NEXT_MX reported <type>}. */
    private static String describe(StsVerdict verdict) {
        return verdict.action() + verdict.failure().map(failure -> " reported " + failure.resultType().text()).orElse("");
    }

    @ParameterizedTest(name = "{0}: unlisted -> {1}; no STARTTLS -> {2}; handshake fails -> {3}")
    @CsvSource({
            "ENFORCE, TRY_NEXT_MX reported validation-failure, TRY_NEXT_MX reported starttls-not-supported, TRY_NEXT_MX reported validation-failure",
            "TESTING, CONTINUE reported validation-failure,    CONTINUE reported starttls-not-supported,    CONTINUE reported validation-failure",
            "NONE,    CONTINUE,                                CONTINUE,                                    CONTINUE"})
    void appliesTheModeToAHostThatFallsShort(PolicyMode mode, String unlisted, String noStartTls, String handshakeFailed) {
        MtaStsPolicy policy = policy(mode);

        assertThat(describe(MtaStsDecisions.beforeConnecting(policy, "mail.attacker.example"))).isEqualTo(unlisted);
        assertThat(describe(MtaStsDecisions.afterEhlo(policy, false))).isEqualTo(noStartTls);
        assertThat(describe(MtaStsDecisions.afterStartTlsRefused(policy, "454 4.7.0 TLS not available")))
                .isEqualTo(noStartTls);
        assertThat(describe(MtaStsDecisions.afterHandshakeFailure(policy, "handshake_failure"))).isEqualTo(handshakeFailed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PolicyMode.class)
    void hasNoObjectionToAListedHostWithStartTlsAndAValidCertificate(PolicyMode mode) {
        MtaStsPolicy policy = policy(mode);

        assertThat(describe(MtaStsDecisions.beforeConnecting(policy, "a.mx.example.com"))).isEqualTo("CONTINUE");
        assertThat(describe(MtaStsDecisions.beforeConnecting(policy, "A.MX.EXAMPLE.COM."))).isEqualTo("CONTINUE");
        assertThat(describe(MtaStsDecisions.afterEhlo(policy, true))).isEqualTo("CONTINUE");
        assertThat(describe(MtaStsDecisions.afterHandshake(policy, CertificateVerdict.valid()))).isEqualTo("CONTINUE");
    }

    @ParameterizedTest(name = "{0}: enforce -> {1}")
    @CsvSource({
            "EXPIRED,        TRY_NEXT_MX reported certificate-expired",
            "NOT_YET_VALID,  TRY_NEXT_MX reported validation-failure",
            "SELF_SIGNED,    TRY_NEXT_MX reported certificate-not-trusted",
            "UNTRUSTED,      TRY_NEXT_MX reported certificate-not-trusted",
            "NAME_MISMATCH,  TRY_NEXT_MX reported certificate-host-mismatch",
            "NO_CERTIFICATE, TRY_NEXT_MX reported validation-failure"})
    void refusesAHostWithABadCertificateUnderEnforceSayingWhy(CertificateProblem problem, String expected) {
        StsVerdict verdict = MtaStsDecisions.afterHandshake(policy(PolicyMode.ENFORCE), CertificateVerdict.bad(problem));

        assertThat(describe(verdict)).isEqualTo(expected);
        assertThat(verdict.refusesHost()).isTrue();
        assertThat(verdict.failure().orElseThrow().detail()).isEqualTo(problem.description());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CertificateProblem.class)
    void onlyReportsABadCertificateUnderTestingAndIgnoresItUnderNone(CertificateProblem problem) {
        CertificateVerdict bad = CertificateVerdict.bad(problem);

        assertThat(MtaStsDecisions.afterHandshake(policy(PolicyMode.TESTING), bad).action())
                .isEqualTo(StsVerdict.Action.CONTINUE);
        assertThat(MtaStsDecisions.afterHandshake(policy(PolicyMode.TESTING), bad).failure()).isPresent();
        assertThat(MtaStsDecisions.resultTypes()).as("the types counted from the start")
                .contains(MtaStsDecisions.afterHandshake(policy(PolicyMode.TESTING), bad).failure().orElseThrow().resultType());
        assertThat(MtaStsDecisions.afterHandshake(policy(PolicyMode.NONE), bad)).isEqualTo(
                new StsVerdict(StsVerdict.Action.CONTINUE, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}: cleartext after a failed handshake allowed: {1}")
    @CsvSource({"ENFORCE, false", "TESTING, true", "NONE, true"})
    void neverAllowsCleartextAfterAFailedHandshakeUnderEnforce(PolicyMode mode, boolean allowed) {
        assertThat(MtaStsDecisions.allowsCleartextRetry(policy(mode))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PolicyMode.class, names = {"ENFORCE", "TESTING"})
    void namesTheUnlistedHostAndTheAllowedPatterns(PolicyMode mode) {
        StsVerdict verdict = MtaStsDecisions.beforeConnecting(policy(mode), "mx.example.com");

        assertThat(verdict.failure().orElseThrow().detail())
                .isEqualTo("MX host mx.example.com is not listed in the MTA-STS policy (mx: [*.mx.example.com])");
    }
}
