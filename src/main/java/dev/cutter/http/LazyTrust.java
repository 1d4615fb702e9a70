package dev.cutter.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context Cutter's HTTP clients use: it trusts what the platform's default context
 * trusts (the runtime's {@code cacerts}, or {@code javax.net.ssl.trustStore}), but reads those
 * certificates at the first TLS handshake rather than when a client is made. Java's HTTP client
 * takes {@link SSLContext#getDefault()} when it is given none, which parses every CA certificate
 * there is (about 150) before the first request: most of a client's start, paid by every run,
 * including those that speak only plain HTTP to loopback registries. The certificate checks
 * themselves are the default trust manager's, host names included: each call is handed to it.
 *
 * <p>When a client key store is configured ({@code javax.net.ssl.keyStore}), the default context
 * is used as it is, so that its client certificates are presented as before.
 */
public final class LazyTrust extends X509ExtendedTrustManager {
    private volatile X509ExtendedTrustManager trust;

    private LazyTrust() {}

    /** A TLS context that trusts what the default one does, its trust store read at the first handshake. */
    public static SSLContext context() {
        try {
            if (!System.getProperty("javax.net.ssl.keyStore", "").isEmpty()) {
                return SSLContext.getDefault();
            }
            return context(new LazyTrust());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS: " + e.getMessage(), e);
        }
    }

    /** A TLS context that trusts through {@code trust}. */
    static SSLContext context(LazyTrust trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    /** A trust manager whose trust store is not read yet. */
    static LazyTrust unread() {
        return new LazyTrust();
    }

    /** Whether the trust store has been read (by a handshake). */
    boolean loaded() {
        return trust != null;
    }

    private X509ExtendedTrustManager trust() throws CertificateException {
        X509ExtendedTrustManager t = trust;
        if (t == null) {
            synchronized (this) {
                if (trust == null) {
                    trust = platform();
                }
                t = trust;
            }
        }
        return t;
    }

    /** The platform's default trust manager, as the default TLS context makes it. */
    private static X509ExtendedTrustManager platform() throws CertificateException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new CertificateException("the Java runtime's trust manager factory made no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the Java runtime's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return trust().getAcceptedIssuers();
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }
}
