package dev.cutter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real registry answers the distribution API's base endpoint. */
class LocalRegistryTest {
    @Test
    void aStartedRegistryAnswersTheDistributionApi() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/_catalog")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"repositories\"");
        }
    }
}
