package io.letterlock.mail.mtasts;

import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.CertificateVerifier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The JDK's PKIX trust manager, which decides, with its refusals reworded by
 * {@link CertificateVerifier} in the words delivery uses for MX certificates ({@code certificate
 * expired}, {@code certificate name does not match mta-sts.example.com}, …): the PKIX messages
 * ("PKIX path building failed: …") say little to an operator reading a TLS report.
 */
final class CertificateDescribingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final CertificateVerifier describer;

    CertificateDescribingTrustManager(X509ExtendedTrustManager pkix, CertificateVerifier describer) {
        this.pkix = pkix;
        this.describer = describer;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw described(e, chain, engine == null ? null : engine.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw described(e, chain, null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw described(e, chain, null);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the policy fetcher is a client; it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the policy fetcher is a client; it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the policy fetcher is a client; it checks no client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /** The refusal stands; only its words change, and the original stays the cause. */
    private CertificateException described(CertificateException refusal, X509Certificate[] chain, String host) {
        if (host != null && chain != null) {
            CertificateVerdict verdict = describer.verify(List.of(chain), host);
            if (!verdict.isValid()) {
                return new CertificateException(verdict.reason().orElseThrow(), refusal);
            }
        }
        return refusal;
    }
}
