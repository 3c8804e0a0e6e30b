package io.letterlock.testkit.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Each kind of certificate, checked by the JDK's own PKIX trust manager with host name checks. */
class ServerCertificateVerificationTest {

    private static final String HOST = "mx.example";
    private static TestCa ca;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("Letterlock Test CA");
    }

    @Test
    void validCertificateVerifiesWithTheCaTrustManagerAndHostName() throws Exception {
        SSLSession session = TlsProbe.handshake(ServerCertificate.valid(ca, HOST), ca.clientSslContext(), HOST);

        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void chainThroughIntermediateVerifiesWithOnlyTheRootTrusted() throws Exception {
        ServerCertificate viaIntermediate = ServerCertificate.validViaIntermediate(ca, HOST);

        SSLSession session = TlsProbe.handshake(viaIntermediate, ca.clientSslContext(), HOST);

        assertThat(viaIntermediate.chain()).hasSize(2);
        assertThat(session.getPeerCertificates()).hasSize(2);
        assertThat(ca.trustStore().size()).isEqualTo(1);
    }

    @Test
    void expiredFailsWithCertificateExpiredException() {
        Throwable failure = catchThrowable(() ->
                TlsProbe.handshake(ServerCertificate.expired(ca, HOST), ca.clientSslContext(), HOST));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void notYetValidFailsWithCertificateNotYetValidException() {
        Throwable failure = catchThrowable(() ->
                TlsProbe.handshake(ServerCertificate.notYetValid(ca, HOST), ca.clientSslContext(), HOST));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void wrongNameFailsOnlyTheHostNameCheck() {
        ServerCertificate wrongName = ServerCertificate.wrongName(ca, HOST);

        Throwable failure = catchThrowable(() -> TlsProbe.handshake(wrongName, ca.clientSslContext(), HOST));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                .hasCauseInstanceOf(CertificateException.class)
                .hasMessageContaining("No subject alternative DNS name matching " + HOST);
        assertThat(wrongName.leaf().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void selfSignedFailsBecauseNoTrustedPathExists() {
        Throwable failure = catchThrowable(() ->
                TlsProbe.handshake(ServerCertificate.selfSigned(HOST), ca.clientSslContext(), HOST));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
    }

    @Test
    void untrustedCaFailsBecauseNoTrustedPathExists() {
        ServerCertificate untrusted = ServerCertificate.untrusted(HOST);

        Throwable failure = catchThrowable(() -> TlsProbe.handshake(untrusted, ca.clientSslContext(), HOST));

        assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
        assertThat(untrusted.leaf().getIssuerX500Principal()).isNotEqualTo(untrusted.leaf().getSubjectX500Principal());
    }

    @ParameterizedTest
    @EnumSource(CertificateKind.class)
    void everyKindVerifiesExactlyWhenItsKindSaysSo(CertificateKind kind) {
        ServerCertificate certificate = kind.issue(ca, HOST);

        Throwable failure = catchThrowable(() -> TlsProbe.handshake(certificate, ca.clientSslContext(), HOST));

        if (kind.verifies()) {
            assertThat(failure).isNull();
        } else {
            assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void wildcardCoversExactlyOneLabel() throws Exception {
        ServerCertificate wildcard = ca.issue("*.mx.example");

        assertThat(TlsProbe.handshake(wildcard, ca.clientSslContext(), "a.mx.example").getProtocol()).startsWith("TLS");
        assertThatThrownBy(() -> TlsProbe.handshake(wildcard, ca.clientSslContext(), "a.b.mx.example"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void rsaLeafHandshakes() throws Exception {
        ServerCertificate rsa = ca.issue(ServerCertificateSpec.forNames(HOST).withKeyType(KeyType.RSA_2048));

        SSLSession session = TlsProbe.handshake(rsa, ca.clientSslContext(), HOST);

        assertThat(session.getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }
}
