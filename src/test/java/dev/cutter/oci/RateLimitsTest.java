package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A run's request budgets per registry: declared budgets pace requests, what a registry reports
 * in its headers caps them, and Docker Hub's names share one bucket. The clock is moved by hand
 * and waits are recorded, so each test checks exactly what would be waited.
 */
class RateLimitsTest {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final RateLimits limits = new RateLimits(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, d -> {
        waits.add(d);
        now = now.plus(d); // waiting moves time on
    });

    static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void budgetsAreWrittenAsRequestsPerPeriod() {
        assertThat(RateLimits.Budget.parse("100/6h")).isEqualTo(new RateLimits.Budget(100, Duration.ofHours(6)));
        assertThat(RateLimits.Budget.parse("5000/1d")).isEqualTo(new RateLimits.Budget(5000, Duration.ofDays(1)));
        assertThat(RateLimits.Budget.parse(" 10 / s ")).isEqualTo(new RateLimits.Budget(10, Duration.ofSeconds(1)));
        assertThat(RateLimits.Budget.parse("100/6h")).hasToString("100/6h");
        for (String wrong : List.of("100", "100 per hour", "0/1h", "10/0m", "-1/h", "ten/h")) {
            assertThatThrownBy(() -> RateLimits.Budget.parse(wrong)).as(wrong).hasMessageContaining("REQUESTS/PERIOD");
        }
    }

    @Test
    void aDeclaredBudgetLetsItsRequestsGoAtOnceThenPacesTheRestEvenly() throws Exception {
        limits.declare("ghcr.io", RateLimits.Budget.parse("3/1m"));

        for (int i = 0; i < 5; i++) {
            limits.take("ghcr.io");
        }

        assertThat(waits).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertThat(limits.take("quay.io")).as("a registry without a budget is not paced").isZero();
    }

    @Test
    void dockerHubsNamesShareOneBucket() throws Exception {
        limits.declare("docker.io", RateLimits.Budget.parse("1/1h"));

        limits.take("registry-1.docker.io");
        limits.take("index.docker.io");

        assertThat(waits).containsExactly(Duration.ofHours(1));
    }

    @Test
    void theRegistrysOwnHeadersTeachItsBudgetAndItsNearlySpentRemainderSlowsRequestsDown() throws Exception {
        limits.observe("docker.io", headers("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "2;w=21600"));

        assertThat(limits.reported("docker.io")).hasValueSatisfying(r -> assertThat(r).hasToString("2 of 100 per 6h left"));
        limits.take("docker.io");
        limits.take("docker.io");
        assertThat(waits).isEmpty();
        limits.take("docker.io");
        assertThat(waits).as("one pull every 6h/100 once the remainder is spent").containsExactly(Duration.ofSeconds(216));
    }

    @Test
    void whatTheRegistrySaysRemainsCapsADeclaredBudget() throws Exception {
        limits.declare("docker.io", RateLimits.Budget.parse("200/6h"));
        limits.observe("docker.io", headers("ratelimit-limit", "200;w=21600", "ratelimit-remaining", "0;w=21600"));

        assertThat(limits.waitFor("docker.io", 2)).isEqualTo(Duration.ofSeconds(216));
        limits.take("docker.io");
        assertThat(waits).containsExactly(Duration.ofSeconds(108));
    }

    @Test
    void onlyManifestGetsAndPutsAreCounted() {
        URI manifest = URI.create("https://registry-1.docker.io/v2/library/debian/manifests/bookworm");
        assertThat(RateLimits.counted("GET", manifest)).isTrue();
        assertThat(RateLimits.counted("PUT", manifest)).isTrue();
        assertThat(RateLimits.counted("HEAD", manifest)).isFalse();
        assertThat(RateLimits.counted("GET", URI.create("https://ghcr.io/v2/acme/app/blobs/sha256:00"))).isFalse();
        assertThat(RateLimits.counted("GET", URI.create("https://ghcr.io/v2/acme/app/tags/list"))).isFalse();
    }
}
