package io.letterlock.testkit.smtp;

import io.letterlock.testkit.tls.ServerCertificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Tells a full TLS handshake from a resumed one, on the server side. The JDK has no public
 * "was this session resumed" call; but a server picks its certificate (asks its key manager for an
 * alias) only in a full handshake, never when it resumes a session from a ticket or its cache. The
 * handshake runs on the connection's own thread, so a thread-local flag says which it was.
 */
final class HandshakeWitness {

    private static final ThreadLocal<boolean[]> CERTIFICATE_CHOSEN = ThreadLocal.withInitial(() -> new boolean[1]);

    private HandshakeWitness() {
    }

    /** A server context presenting the certificate, whose key manager reports to this witness. */
    static SSLContext serverContext(ServerCertificate certificate) {
        X509KeyManager delegate = null;
        for (KeyManager manager : certificate.keyManagerFactory().getKeyManagers()) {
            if (manager instanceof X509KeyManager x509) {
                delegate = x509;
            }
        }
        if (delegate == null) {
            throw new IllegalStateException("no X.509 key manager for " + certificate);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{new Witnessed(delegate)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSLContext for " + certificate, e);
        }
    }

    /** Call on the connection's thread just before its handshake. */
    static void beforeHandshake() {
        CERTIFICATE_CHOSEN.get()[0] = false;
    }

    /** Call on the same thread after the handshake: true if it resumed an earlier session. */
    static boolean resumed() {
        return !CERTIFICATE_CHOSEN.get()[0];
    }

    private static final class Witnessed extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;

        Witnessed(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String alias = delegate.chooseServerAlias(keyType, issuers, socket);
            if (alias != null) {
                CERTIFICATE_CHOSEN.get()[0] = true;
            }
            return alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyTypes, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
