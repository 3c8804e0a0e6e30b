package io.letterlock.mail.tls;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The precedence table: what one connection is held to when the sender's policy and the receiving
 * domain's meet. The receiver only ever raises the sender's floor, and names itself when it does.
 */
class HostTlsPolicyTest {

    private static final DaneState AUTHENTICATE = new DaneState.Authenticate("mx.example", List.of("mx.example"),
            List.of(new TlsaAssociation(3, 1, 1, new byte[32])), List.of());
    private static final DaneState ENCRYPT_ONLY = new DaneState.EncryptOnly("mx.example", List.of());
    private static final MtaStsPolicy ENFORCE = ((ParsedPolicy.Valid) MtaStsPolicy.parse(
            "version: STSv1\nmode: enforce\nmx: mx.example\nmax_age: 86400\n")).policy();

    private static ReceiverPolicy receiver(String name) {
        return switch (name) {
            case "none" -> ReceiverPolicy.NONE;
            case "dane" -> new ReceiverPolicy.Dane(AUTHENTICATE);
            case "dane-unusable" -> new ReceiverPolicy.Dane(ENCRYPT_ONLY);
            case "mta-sts" -> new ReceiverPolicy.MtaStsEnforce(ENFORCE);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "sender {0}/{1}/{2} ({3}) + receiver {4} -> tls {5}, valid cert {6}, attempt {7}, source {8}, by {9}")
    @CsvSource({
            // sender: require_tls, require_valid_cert, attempt_tls, source | receiver | effective | authentication
            "false, false, true,  default, none,          false, false, true, default, PKIX",
            "true,  true,  true,  account, none,          true,  true,  true, account, PKIX",
            "false, false, false, domain,  none,          false, false, false, domain, PKIX",
            // DANE with usable records: TLS, authenticated by TLSA, even over a sender's "none".
            "false, false, true,  default, dane,          true,  true,  true, dane,    DANE",
            "false, false, false, domain,  dane,          true,  true,  true, dane,    DANE",
            "true,  true,  true,  account, dane,          true,  true,  true, dane,    DANE",
            // DANE without usable records: TLS, certificate judged only if the sender asked.
            "false, false, true,  default, dane-unusable, true,  false, true, dane,    PKIX",
            "false, true,  true,  account, dane-unusable, true,  true,  true, dane,    PKIX",
            // MTA-STS enforce: TLS with a PKIX-valid certificate for the MX name.
            "false, false, true,  default, mta-sts,       true,  true,  true, mta-sts, PKIX",
            "false, false, false, domain,  mta-sts,       true,  true,  true, mta-sts, PKIX"})
    void theReceiverRaisesTheSendersFloorAndNamesItself(boolean requireTls, boolean requireValidCert, boolean attemptTls,
                                                          String source, String receiver, boolean tls, boolean validCert,
                                                          boolean attempt, String decidedBy,
                                                          HostTlsPolicy.Authentication authentication) {
        HostTlsPolicy host = new HostTlsPolicy(new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.TLS_1_2,
                attemptTls, source), receiver(receiver));

        EffectiveTlsPolicy effective = host.effective();

        assertThat(effective).isEqualTo(new EffectiveTlsPolicy(tls, validCert, TlsVersion.TLS_1_2, attempt, decidedBy));
        assertThat(host.authentication()).isEqualTo(authentication);
        assertThat(host.receiverRequiresTls()).isEqualTo(!receiver.equals("none"));
        assertThat(host.receiverDefers()).isEqualTo(!receiver.equals("none"));
    }

    /**
     * RFC 8689 §4.2.1: a message asking for REQUIRETLS needs TLS and a certificate valid by usable
     * TLSA records or else by PKIX, whatever the sender and the receiver ask; the sender's minimum
     * version stays. A host falling short is the message's rule's to end (a bounce), not a
     * receiver's deferral.
     */
    @ParameterizedTest(name = "REQUIRETLS over sender {0}/{1}/{2} ({3}) + receiver {4} -> by {5}")
    @CsvSource({
            // sender: require_tls, require_valid_cert, attempt_tls, source | receiver | authentication
            "false, false, true,  default, none,          PKIX",
            "true,  true,  true,  account, none,          PKIX",
            "false, false, false, domain,  none,          PKIX",
            "false, false, true,  default, dane,          DANE",
            // DANE without usable records is not enough: PKIX must pass.
            "false, false, true,  default, dane-unusable, PKIX",
            "false, false, true,  default, mta-sts,       PKIX"})
    void requireTlsRaisesEveryFloorToTlsWithAValidCertificateAndNamesItself(boolean requireTls, boolean requireValidCert,
                                                                           boolean attemptTls, String source,
                                                                           String receiver,
                                                                           HostTlsPolicy.Authentication authentication) {
        HostTlsPolicy host = new HostTlsPolicy(new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.TLS_1_3,
                attemptTls, source), receiver(receiver), true);

        assertThat(host.effective()).isEqualTo(new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_3, true,
                EffectiveTlsPolicy.SOURCE_REQUIRETLS));
        assertThat(host.authentication()).isEqualTo(authentication);
        assertThat(host.receiverDefers()).isFalse();
    }
}
