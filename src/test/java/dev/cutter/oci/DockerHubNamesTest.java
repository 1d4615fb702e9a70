package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Docker Hub's names in a repository ({@code docker.io/acme/app}, as a spec's registry
 * {@code url: docker.io} gives it) reach its API at registry-1.docker.io, as Docker's do. Seen
 * through an HTTPS proxy on loopback that records where each connection was asked to go and
 * refuses it, so nothing leaves the machine.
 */
class DockerHubNamesTest {
    @Test
    void everyNameOfDockerHubIsSpokenToAtRegistry1() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!proxy.isClosed()) {
                    try (Socket s = proxy.accept()) {
                        asked.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
                        s.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress(proxy.getInetAddress(), proxy.getLocalPort())))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            RegistryClient client = new RegistryClient(http, Credentials.none(), Set.of(), Duration.ofMillis(1));

            for (String name : List.of("docker.io", "index.docker.io", "registry-1.docker.io", "quay.io")) {
                assertThatThrownBy(() -> client.tags(Repository.parse(name + "/acme/app")))
                        .isInstanceOf(RegistryException.class);
            }

            assertThat(asked).extracting(line -> line.split(" ")[1]).containsOnly("registry-1.docker.io:443", "quay.io:443")
                    .contains("quay.io:443");
        }
    }
}
