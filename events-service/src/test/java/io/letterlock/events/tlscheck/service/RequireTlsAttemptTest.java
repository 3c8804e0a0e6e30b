package io.letterlock.events.tlscheck.service;

import io.letterlock.mail.receiver.MxDiscovery;
import io.letterlock.mail.smtp.ProbeReport;
import io.letterlock.mail.smtp.SmtpReply;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the TLS check says a REQUIRETLS message would meet (RFC 8689 §4.2.1), host after host as
 * delivery tries them: the rows of RequireTlsDecisions on what each host showed.
 */
class RequireTlsAttemptTest {

    private static final MxDiscovery SIGNED = new MxDiscovery(Set.of("mx1", "mx2"), Optional.empty());

    private static final ProbeReport QUALIFIES = encrypted(CertificateVerdict.valid(), true);
    private static final ProbeReport SILENT = encrypted(CertificateVerdict.valid(), false);
    private static final ProbeReport SELF_SIGNED = encrypted(CertificateVerdict.bad(CertificateProblem.SELF_SIGNED), true);
    private static final ProbeReport NO_STARTTLS = new ProbeReport(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), false);
    private static final ProbeReport HANDSHAKE_FAILED = new ProbeReport(true, Optional.empty(), Optional.empty(),
            Optional.of("TLS handshake failed: no common protocol"), Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), false);
    private static final ProbeReport STARTTLS_REFUSED_FOR_GOOD = new ProbeReport(true,
            Optional.of(new SmtpReply(554, List.of("5.7.0 not today"))), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), Optional.empty(), false);

    @Test
    void aHostFoundSecurelyWithAValidCertificateThatAdvertisesRequireTlsTakesTheMessage() {
        AttemptVerdict verdict = RequireTlsAttempt.of(List.of(host("mx1", QUALIFIES)), SIGNED, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("delivered");
        assertThat(verdict.mx()).isEqualTo("mx1");
    }

    @Test
    void mxHostsNotFoundSecurelyBounceWithoutAQuestionToTheirServers() {
        AttemptVerdict verdict = RequireTlsAttempt.of(List.of(host("mx1", QUALIFIES)), MxDiscovery.UNPROVEN,
                "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("bounced");
        assertThat(verdict.outcome().reason()).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: MX not found securely (no DNSSEC, no MTA-STS enforce)");
    }

    @Test
    void aStaticRouteCountsAsFoundSecurely() {
        AttemptVerdict verdict = RequireTlsAttempt.of(List.of(new RequireTlsAttempt.Host("127.0.0.1", true,
                Optional.of(QUALIFIES), null, null, Optional.empty())), MxDiscovery.UNPROVEN, "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("delivered");
    }

    @Test
    void eachWayOfFallingShortBouncesWithDeliverysWords() {
        assertThat(reasonFor(SILENT)).isEqualTo("550 5.7.30 REQUIRETLS support required: mx1 does not advertise REQUIRETLS");
        assertThat(reasonFor(SELF_SIGNED)).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: certificate not valid: certificate self-signed");
        assertThat(reasonFor(NO_STARTTLS)).isEqualTo("550 5.7.30 REQUIRETLS support required: STARTTLS not offered");
        assertThat(reasonFor(STARTTLS_REFUSED_FOR_GOOD)).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: STARTTLS refused: 554 5.7.0 not today");
    }

    @Test
    void aLaterHostThatQualifiesTakesWhatTheFirstFellShortOf() {
        AttemptVerdict verdict = RequireTlsAttempt.of(List.of(host("mx1", SILENT), host("mx2", QUALIFIES)), SIGNED,
                "unreachable");

        assertThat(verdict.outcome().outcome()).isEqualTo("delivered");
        assertThat(verdict.mx()).isEqualTo("mx2");
    }

    @Test
    void aHostThatCouldNotBeReachedOrWhoseHandshakeFailedTaughtNothingAndDefers() {
        AttemptVerdict unreachable = RequireTlsAttempt.of(List.of(host("mx1", SILENT),
                new RequireTlsAttempt.Host("mx2", false, Optional.empty(), "connection refused", null, Optional.empty())),
                SIGNED, "unreachable");
        AttemptVerdict handshake = RequireTlsAttempt.of(List.of(host("mx1", HANDSHAKE_FAILED)), SIGNED, "unreachable");

        assertThat(unreachable.outcome().outcome()).isEqualTo("deferred");
        assertThat(unreachable.outcome().reason()).isEqualTo("connection refused");
        assertThat(unreachable.mx()).isEqualTo("mx2");
        assertThat(handshake.outcome().outcome()).isEqualTo("deferred");
    }

    private static String reasonFor(ProbeReport report) {
        AttemptVerdict verdict = RequireTlsAttempt.of(List.of(host("mx1", report)), SIGNED, "unreachable");
        assertThat(verdict.outcome().outcome()).isEqualTo("bounced");
        return verdict.outcome().reason();
    }

    private static RequireTlsAttempt.Host host(String mx, ProbeReport report) {
        return new RequireTlsAttempt.Host(mx, false, Optional.of(report), null, null, Optional.empty());
    }

    private static ProbeReport encrypted(CertificateVerdict verdict, boolean requireTls) {
        return new ProbeReport(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("TLSv1.3"),
                Optional.of("TLS_AES_128_GCM_SHA256"), List.of(), Optional.of(verdict), requireTls);
    }
}
