package io.letterlock.mail.tls;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/architecture.md's behaviour table, cell by cell. Columns: the account flags (or a domain mode), then
 * what the session does when the server offers no STARTTLS, when its certificate is bad, when the
 * handshake fails, and when the certificate is valid.
 */
class TlsPolicyDecisionsTest {

    private static EffectiveTlsPolicy policy(String flagsOrMode) {
        if (flagsOrMode.startsWith("domain:")) {
            DomainTlsMode mode = DomainTlsMode.parse(flagsOrMode.substring("domain:".length())).orElseThrow();
            return EffectiveTlsPolicy.resolve(TlsSettings.defaults("a"),
                    new DomainPolicy("a", "example.com", mode, Instant.EPOCH));
        }
        String[] flags = flagsOrMode.split("/");
        return EffectiveTlsPolicy.resolve(new TlsSettings("a", Boolean.parseBoolean(flags[0]),
                Boolean.parseBoolean(flags[1]), TlsVersion.TLS_1_2, Instant.EPOCH), null);
    }

    @ParameterizedTest(name = "{0}: no STARTTLS -> {1}, bad cert -> {2}, handshake fails -> {3}, valid -> {4}")
    @CsvSource({
            // require_tls/require_valid_cert
            "false/false,    CONTINUE_IN_CLEARTEXT, USE_TLS, RETRY_IN_CLEARTEXT, USE_TLS",
            "true/false,     BLOCK,                 USE_TLS, DEFER,              USE_TLS",
            "false/true,     CONTINUE_IN_CLEARTEXT, DEFER,   DEFER,              USE_TLS",
            "true/true,      BLOCK,                 DEFER,   DEFER,              USE_TLS",
            // a domain policy overrides the account flags
            "domain:may,     CONTINUE_IN_CLEARTEXT, USE_TLS, RETRY_IN_CLEARTEXT, USE_TLS",
            "domain:encrypt, BLOCK,                 USE_TLS, DEFER,              USE_TLS",
            "domain:verify,  BLOCK,                 DEFER,   DEFER,              USE_TLS"})
    void followsTheBehaviourTable(String flags, TlsDecision noStartTls, TlsDecision badCert,
                                  TlsDecision handshakeFailed, TlsDecision validCert) {
        EffectiveTlsPolicy policy = policy(flags);
        CertificateVerdict bad = CertificateVerdict.bad(CertificateProblem.SELF_SIGNED);

        assertThat(TlsPolicyDecisions.afterEhlo(policy, false)).isEqualTo(noStartTls);
        assertThat(TlsPolicyDecisions.afterEhlo(policy, true)).isEqualTo(TlsDecision.USE_TLS);
        assertThat(TlsPolicyDecisions.afterHandshake(policy, bad)).isEqualTo(badCert);
        assertThat(TlsPolicyDecisions.afterHandshakeFailure(policy)).isEqualTo(handshakeFailed);
        assertThat(TlsPolicyDecisions.afterHandshake(policy, CertificateVerdict.valid())).isEqualTo(validCert);
    }

    /**
     * STARTTLS advertised, then refused. RFC 3207 §4: 454 is "TLS not available due to temporary
     * reason", so a policy that requires TLS waits and tries again, as Postfix defers; a 5xx
     * refusal is for good, the same as no STARTTLS. Policies that allow cleartext go on in it.
     */
    @ParameterizedTest(name = "{0}: STARTTLS answered 454 -> {1}, 421 -> {2}, 502 -> {3}, 554 -> {4}")
    @CsvSource({
            // require_tls/require_valid_cert
            "false/false,    CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT",
            "true/false,     DEFER,                 DEFER,                 BLOCK,                 BLOCK",
            "false/true,     CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT",
            "true/true,      DEFER,                 DEFER,                 BLOCK,                 BLOCK",
            "domain:may,     CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT, CONTINUE_IN_CLEARTEXT",
            "domain:encrypt, DEFER,                 DEFER,                 BLOCK,                 BLOCK",
            "domain:verify,  DEFER,                 DEFER,                 BLOCK,                 BLOCK"})
    void aStartTlsRefusedForNowDefersAndForGoodBlocksWhereTlsIsRequired(String flags, TlsDecision tls454,
                                                                          TlsDecision tls421, TlsDecision tls502,
                                                                          TlsDecision tls554) {
        EffectiveTlsPolicy policy = policy(flags);

        assertThat(TlsPolicyDecisions.afterStartTlsRefused(policy, 454)).isEqualTo(tls454);
        assertThat(TlsPolicyDecisions.afterStartTlsRefused(policy, 421)).isEqualTo(tls421);
        assertThat(TlsPolicyDecisions.afterStartTlsRefused(policy, 502)).isEqualTo(tls502);
        assertThat(TlsPolicyDecisions.afterStartTlsRefused(policy, 554)).isEqualTo(tls554);
    }

    /**
     * Data after the 220 to STARTTLS (RFC 3207 §6) shows someone on the path: whatever the policy,
     * no message goes, neither on this connection nor in cleartext on another (docs/architecture.md).
     */
    @ParameterizedTest(name = "{0}: data injected after STARTTLS's 220 -> DEFER")
    @CsvSource({"false/false", "true/false", "false/true", "true/true", "domain:may", "domain:encrypt",
            "domain:verify"})
    void dataInjectedIntoTheStartTlsExchangeDefersUnderEveryPolicy(String flags) {
        assertThat(TlsPolicyDecisions.afterStartTlsInjection(policy(flags))).isEqualTo(TlsDecision.DEFER);
    }

    @ParameterizedTest
    @CsvSource({"true, CONTINUE_IN_CLEARTEXT", "false, CONTINUE_IN_CLEARTEXT"})
    void domainModeNoneNeverStartsTls(boolean offered, TlsDecision expected) {
        assertThat(TlsPolicyDecisions.afterEhlo(policy("domain:none"), offered)).isEqualTo(expected);
    }
}
