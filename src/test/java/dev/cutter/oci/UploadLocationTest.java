package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cutter.content.Digest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upload's {@code Location} is the registry's to give, and a hostile or broken one gives a
 * file URL or no URL at all: the push fails naming the registry's fault, never as an internal
 * error. The registry here is a stand-in on loopback that answers only the upload's opening, the
 * one request this concerns; every other path of the protocol is tested against docker-registry.
 */
class UploadLocationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/upload", "/v2/acme/app/blobs/uploads/a b c"})
    void anUploadLocationThatIsNoHttpUrlFailsTheUploadClearly(String location) throws Exception {
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", location);
                exchange.sendResponseHeaders(202, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        registry.start();
        try {
            Path blob = Files.writeString(tmp.resolve("blob"), "hello");
            RegistryClient client = new RegistryClient(RegistryClient.http(), Credentials.none(), Set.of());
            Repository repo = Repository.parse("127.0.0.1:" + registry.getAddress().getPort() + "/acme/app");

            assertThatThrownBy(() -> client.putBlob(repo, Digest.sha256(blob), blob, Optional.empty()))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("Location");
        } finally {
            registry.stop(0);
        }
    }
}
