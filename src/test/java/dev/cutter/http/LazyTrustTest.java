package dev.cutter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lazily read trust store, with Java's HTTP client against real servers on loopback: a plain
 * HTTP one, and an HTTPS one whose certificate keytool made for the test (self-signed, so no
 * trust store trusts it). A client speaking plain HTTP never reads the trust store; the first
 * handshake does, and the default trust manager then refuses the unknown certificate as the
 * default context would.
 */
class LazyTrustTest {
    @TempDir
    Path dir;

    @Test
    void plainHttpReadsNoTrustStoreAndAHandshakeIsCheckedByTheDefaultTrust() throws Exception {
        LazyTrust trust = LazyTrust.unread();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(LazyTrust.context(trust)).build();

        HttpServer plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        plain.start();
        HttpsServer tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        tls.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        tls.start();
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + plain.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("ok");
            assertThat(trust.loaded()).as("the trust store is read only for TLS").isFalse();

            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + tls.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(trust.loaded()).isTrue();
            assertThat(trust.getAcceptedIssuers()).as("the platform's CA certificates").isNotEmpty();
        } finally {
            plain.stop(0);
            tls.stop(0);
        }
    }

    /** A TLS server context with a self-signed certificate for localhost, made by keytool. */
    private SSLContext selfSigned() throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost", "-validity", "2")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
