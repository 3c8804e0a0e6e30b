package io.letterlock.mail.requiretls;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.receiver.MxDiscovery;
import io.letterlock.mail.smtp.EhloCapabilities;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8689 on the sending side as a table: what a message's own request (nothing, REQUIRETLS,
 * {@code TLS-Required: No}) makes of the sender's policy and the receiving domain's rules for one
 * MX host, and when a host falls short of REQUIRETLS.
 */
class RequireTlsDecisionsTest {

    private static final String MX = "mx.example";
    private static final MtaStsPolicy ENFORCE = policy("enforce");
    private static final MtaStsPolicy TESTING = policy("testing");
    private static final DaneState AUTHENTICATE = new DaneState.Authenticate(MX, List.of(MX),
            List.of(new TlsaAssociation(3, 1, 1, new byte[32])), List.of());
    private static final DaneState ENCRYPT_ONLY = new DaneState.EncryptOnly(MX, List.of());
    private static final TlsFacts VERIFIED = TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256",
            CertificateVerdict.valid());
    private static final TlsFacts SELF_SIGNED = TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256",
            CertificateVerdict.bad(CertificateProblem.SELF_SIGNED));
    private static final EhloCapabilities ADVERTISED = new EhloCapabilities(Map.of("REQUIRETLS", "", "PIPELINING", ""));
    private static final EhloCapabilities NOT_ADVERTISED = new EhloCapabilities(Map.of("PIPELINING", ""));

    private static MtaStsPolicy policy(String mode) {
        return ((ParsedPolicy.Valid) MtaStsPolicy.parse("version: STSv1\nmode: " + mode + "\nmx: " + MX
                + "\nmax_age: 86400\n")).policy();
    }

    private static EffectiveTlsPolicy sender(String name) {
        return switch (name) {
            case "default" -> new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2, true, "default");
            case "valid-cert" -> new EffectiveTlsPolicy(false, true, TlsVersion.TLS_1_2, true, "account");
            case "domain-none" -> new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2, false, "domain");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static HostRequirement requirement(String name) {
        return switch (name) {
            case "none" -> null;
            case "dane" -> new HostRequirement.Applies(new ReceiverPolicy.Dane(AUTHENTICATE));
            case "dane-unusable" -> new HostRequirement.Applies(new ReceiverPolicy.Dane(ENCRYPT_ONLY));
            case "mta-sts" -> new HostRequirement.Applies(new ReceiverPolicy.MtaStsEnforce(ENFORCE));
            case "mta-sts-testing" -> new HostRequirement.Observed(TESTING);
            case "dane-tempfail" -> new HostRequirement.Refused("DANE: lookup failed", ReceiverPolicy.SOURCE_DANE);
            case "mta-sts-unlisted" -> new HostRequirement.Refused("MTA-STS: " + MX
                    + " is not an MX host the domain's policy lists", ReceiverPolicy.SOURCE_MTA_STS);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static MxDiscovery discovery(String name) {
        return switch (name) {
            case "dnssec" -> new MxDiscovery(Set.of(MX), Optional.empty());
            case "dnssec-names-another" -> new MxDiscovery(Set.of("mx2.example"), Optional.empty());
            case "mta-sts-lists" -> new MxDiscovery(Set.of(), Optional.of(ENFORCE));
            case "unproven" -> MxDiscovery.UNPROVEN;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** {@code connect <source> <tls>/<certificate> <authentication> [defers]}, {@code refused <source>}, {@code short: <why>}. */
    private static String describe(HostPlan plan) {
        if (plan instanceof HostPlan.Connect connect) {
            HostTlsPolicy host = connect.host();
            EffectiveTlsPolicy effective = host.effective();
            String tls = effective.requireTls() ? "tls" : effective.attemptTls() ? "may" : "none";
            return "connect " + effective.source() + " " + tls + "/" + (effective.requireValidCert() ? "valid" : "any")
                    + " " + host.authentication() + (host.receiverDefers() ? " defers" : "");
        }
        if (plan instanceof HostPlan.ReceiverRefused refused) {
            return "refused " + refused.refused().source();
        }
        return "short: " + ((HostPlan.FallsShort) plan).detail();
    }

    @ParameterizedTest(name = "{0}, sender {1}, receiver {2}, MX {3} by {4} -> {5}")
    @CsvSource(delimiter = '|', value = {
            // message       | sender      | receiver         | MX found             | route  | plan
            // Nothing asked by the message: the receiver's rules as before.
            "NONE            | default     | none             | unproven             | dns    | connect default may/any PKIX",
            "NONE            | default     | dane             | dnssec               | dns    | connect dane tls/valid DANE defers",
            "NONE            | default     | dane-unusable    | dnssec               | dns    | connect dane tls/any PKIX defers",
            "NONE            | default     | mta-sts          | mta-sts-lists        | dns    | connect mta-sts tls/valid PKIX defers",
            "NONE            | default     | mta-sts-testing  | unproven             | dns    | connect default may/any PKIX",
            "NONE            | default     | dane-tempfail    | unproven             | dns    | refused dane",
            "NONE            | default     | mta-sts-unlisted | unproven             | dns    | refused mta-sts",
            // REQUIRETLS: only to an MX found securely, then TLS with a valid certificate, bounce if none.
            "REQUIRETLS      | default     | none             | dnssec               | dns    | connect requiretls tls/valid PKIX",
            "REQUIRETLS      | domain-none | none             | dnssec               | dns    | connect requiretls tls/valid PKIX",
            "REQUIRETLS      | default     | dane             | dnssec               | dns    | connect requiretls tls/valid DANE",
            "REQUIRETLS      | default     | dane-unusable    | dnssec               | dns    | connect requiretls tls/valid PKIX",
            "REQUIRETLS      | default     | mta-sts          | mta-sts-lists        | dns    | connect requiretls tls/valid PKIX",
            "REQUIRETLS      | default     | none             | mta-sts-lists        | dns    | connect requiretls tls/valid PKIX",
            "REQUIRETLS      | default     | none             | unproven             | dns    | short: MX not found securely (no DNSSEC, no MTA-STS enforce)",
            "REQUIRETLS      | default     | none             | dnssec-names-another | dns    | short: MX not found securely (no DNSSEC, no MTA-STS enforce)",
            "REQUIRETLS      | default     | mta-sts-testing  | unproven             | dns    | short: MX not found securely (no DNSSEC, no MTA-STS enforce)",
            "REQUIRETLS      | default     | none             | unproven             | static | connect requiretls tls/valid PKIX",
            // A failed lookup, or a host an MTA-STS policy rules out, taught nothing about REQUIRETLS: defer.
            "REQUIRETLS      | default     | dane-tempfail    | dnssec               | dns    | refused dane",
            "REQUIRETLS      | default     | mta-sts-unlisted | unproven             | dns    | refused mta-sts",
            // TLS-Required: No: DANE and MTA-STS set aside, the sender's own flags decide and the rule says so.
            "TLS_REQUIRED_NO | default     | none             | unproven             | dns    | connect default may/any PKIX",
            "TLS_REQUIRED_NO | default     | dane             | dnssec               | dns    | connect tls-required-no may/any PKIX",
            "TLS_REQUIRED_NO | valid-cert  | dane             | dnssec               | dns    | connect tls-required-no may/valid PKIX",
            "TLS_REQUIRED_NO | domain-none | dane             | dnssec               | dns    | connect tls-required-no none/any PKIX",
            "TLS_REQUIRED_NO | default     | mta-sts          | mta-sts-lists        | dns    | connect tls-required-no may/any PKIX",
            "TLS_REQUIRED_NO | default     | mta-sts-unlisted | unproven             | dns    | connect tls-required-no may/any PKIX",
            "TLS_REQUIRED_NO | default     | dane-tempfail    | unproven             | dns    | connect tls-required-no may/any PKIX",
            "TLS_REQUIRED_NO | default     | mta-sts-testing  | unproven             | dns    | connect default may/any PKIX"})
    void beforeConnectingToAnMxHost(MessageTlsRequest message, String sender, String receiver, String mx, String route,
                                    String expected) {
        HostPlan plan = RequireTlsDecisions.beforeConnect(sender(sender), message, MX, route.equals("static"),
                requirement(receiver), discovery(mx));

        assertThat(describe(plan)).isEqualTo(expected);
    }

    @Test
    void anMtaStsTestingPolicyIsObservedUnlessTheMessageSetsTheReceiversRulesAside() {
        HostRequirement testing = requirement("mta-sts-testing");

        HostPlan observed = RequireTlsDecisions.beforeConnect(sender("default"), MessageTlsRequest.NONE, MX, false,
                testing, MxDiscovery.UNPROVEN);
        HostPlan setAside = RequireTlsDecisions.beforeConnect(sender("default"), MessageTlsRequest.TLS_REQUIRED_NO, MX,
                false, testing, MxDiscovery.UNPROVEN);

        assertThat(((HostPlan.Connect) observed).observed()).contains(TESTING);
        assertThat(((HostPlan.Connect) setAside).observed()).isEmpty();
    }

    @ParameterizedTest(name = "requiretls={0}, TLS-Required: No={1} -> {2}")
    @CsvSource({
            "false, false, NONE",
            "true,  false, REQUIRETLS",
            "false, true,  TLS_REQUIRED_NO",
            // RFC 8689 §4.1: with both, the header field is ignored.
            "true,  true,  REQUIRETLS"})
    void requireTlsWinsOverTheHeaderField(boolean requiretls, boolean tlsRequiredNo, MessageTlsRequest expected) {
        assertThat(MessageTlsRequest.of(requiretls, tlsRequiredNo)).isEqualTo(expected);
    }

    @Test
    void aHostWithoutStartTlsOrRefusingItForGoodFallsShort() {
        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Blocked(MX, TlsFacts.cleartext(false, false),
                "STARTTLS not offered"))).contains("STARTTLS not offered");
        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Blocked(MX, TlsFacts.cleartext(true, false),
                "STARTTLS refused: 554 5.7.0 no"))).contains("STARTTLS refused: 554 5.7.0 no");
    }

    @Test
    void aCertificateThatDidNotVerifyFallsShortSayingWhy() {
        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Deferred(MX, SELF_SIGNED,
                "certificate self-signed"))).contains("certificate not valid: certificate self-signed");
    }

    @Test
    void aRefusalForNowAFailedHandshakeOrInjectedDataStandAsTheyAre() {
        TlsFacts cleartext = TlsFacts.cleartext(true, false);

        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Deferred(MX, cleartext,
                "STARTTLS refused: 454 4.7.0 later", "4.7.0", Optional.empty()))).isEmpty();
        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Deferred(MX, cleartext,
                "TLS handshake failed: connection reset"))).isEmpty();
        assertThat(RequireTlsDecisions.afterSessionRefused(new SessionOutcome.Injected(MX, cleartext,
                "STARTTLS injection: server sent data after its 220 reply"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}, REQUIRETLS advertised {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "verified    | true  | ",
            "verified    | false | mx.example does not advertise REQUIRETLS",
            "self-signed | true  | certificate not valid: certificate self-signed",
            "cleartext   | true  | STARTTLS not offered"})
    void aSessionCarriesTheMessageOnlyOverVerifiedTlsToAServerAdvertisingRequireTls(String tls, boolean advertised,
                                                                                    String expected) {
        TlsFacts facts = switch (tls) {
            case "verified" -> VERIFIED;
            case "self-signed" -> SELF_SIGNED;
            default -> TlsFacts.cleartext(false, false);
        };

        assertThat(RequireTlsDecisions.beforeTransaction(MX, facts, advertised ? ADVERTISED : NOT_ADVERTISED))
                .isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theBounceSaysWhyInWordsUnderItsOwnStatus() {
        assertThat(RequireTlsDecisions.bounceReason("mx.example does not advertise REQUIRETLS"))
                .isEqualTo("550 5.7.30 REQUIRETLS support required: mx.example does not advertise REQUIRETLS");
        assertThat(RequireTlsDecisions.STATUS).isEqualTo("5.7.30");
    }
}
