package io.letterlock.events.tlscheck.service;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.smtp.ProbeReport;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the TLS check combines a domain's MX hosts: as a delivery attempt does, host after host. */
class AttemptVerdictTest {

    private static final EffectiveTlsPolicy OPPORTUNISTIC = policy(false, false);
    private static final EffectiveTlsPolicy REQUIRE_TLS = policy(true, false);
    private static final EffectiveTlsPolicy REQUIRE_VALID_CERT = policy(true, true);

    private static final ProbeReport NO_STARTTLS = new ProbeReport(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), false);
    private static final ProbeReport VALID = encrypted(CertificateVerdict.valid());
    private static final ProbeReport EXPIRED = encrypted(CertificateVerdict.bad(CertificateProblem.EXPIRED));

    @Test
    void aLaterHostWithTlsTakesMailTheFirstCouldNotTakeUnderRequiredTls() {
        AttemptVerdict verdict = AttemptVerdict.of(List.of(host("mx1", NO_STARTTLS), host("mx2", VALID)),
                REQUIRE_TLS, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("delivered");
        assertThat(verdict.mx()).isEqualTo("mx2");
    }

    @Test
    void theFirstHostDecidesWhenItTakesTheMessage() {
        AttemptVerdict verdict = AttemptVerdict.of(List.of(host("mx1", NO_STARTTLS), host("mx2", VALID)),
                OPPORTUNISTIC, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("delivered");
        assertThat(verdict.mx()).isEqualTo("mx1");
    }

    @Test
    void aHostLackingTlsMakesItABlockEvenIfAnotherHadABadCertificate() {
        AttemptVerdict verdict = AttemptVerdict.of(List.of(host("mx1", EXPIRED), host("mx2", NO_STARTTLS)),
                REQUIRE_VALID_CERT, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("dropped");
        assertThat(verdict.outcome().reason()).isEqualTo("500 TLS required but not supported");
        assertThat(verdict.mx()).isEqualTo("mx2");
    }

    @Test
    void onlyBadCertificatesDefer() {
        AttemptVerdict verdict = AttemptVerdict.of(List.of(host("mx1", EXPIRED), host("mx2", EXPIRED)),
                REQUIRE_VALID_CERT, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("deferred");
        assertThat(verdict.mx()).isEqualTo("mx1");
    }

    @Test
    void noHostReachedDefersWithTheGivenReason() {
        AttemptVerdict verdict = AttemptVerdict.of(List.of(), OPPORTUNISTIC, "no MX host could be reached");

        assertThat(verdict.outcome().outcome()).isEqualTo("deferred");
        assertThat(verdict.outcome().reason()).isEqualTo("no MX host could be reached");
        assertThat(verdict.mx()).isNull();
    }

    private static AttemptVerdict.Host host(String mx, ProbeReport report) {
        return new AttemptVerdict.Host(mx, report);
    }

    private static ProbeReport encrypted(CertificateVerdict verdict) {
        return new ProbeReport(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("TLSv1.3"),
                Optional.of("TLS_AES_128_GCM_SHA256"), List.of(), Optional.of(verdict), false);
    }

    private static EffectiveTlsPolicy policy(boolean requireTls, boolean requireValidCert) {
        return new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.DEFAULT, true,
                EffectiveTlsPolicy.SOURCE_ACCOUNT);
    }
}
