package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.FaultyProxy;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases through a proxy that drops connections and answers 503 and 429 with Retry-After: the
 * release completes with the same digests as through a clean connection.
 */
@Tag("e2e")
class FaultyRegistryReleaseTest {
    static final List<String> VARS = List.of("BUILD_REGISTRY", "ECR", "GCR", "GAR", "DOCKERHUB");
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045", "SLACK_WEBHOOK", "http://127.0.0.1:9/x");

    @TempDir
    Path tmp;

    CutterProcess.Result release(Path project, List<String> addresses) throws Exception {
        List<String> args = new ArrayList<>(List.of("release", "--tag", "serverless-init-1.7.8"));
        for (int i = 0; i < VARS.size(); i++) {
            args.addAll(List.of("--var", VARS.get(i) + "=" + addresses.get(i)));
        }
        return CutterProcess.run(project, ENV, args.toArray(String[]::new));
    }

    @Test
    void aReleaseThroughFaultsEndsWithTheDigestsOfACleanOne() throws Exception {
        List<LocalRegistry> clean = new ArrayList<>();
        List<LocalRegistry> faulty = new ArrayList<>();
        List<FaultyProxy> proxies = new ArrayList<>();
        try {
            for (int i = 0; i < VARS.size(); i++) {
                clean.add(LocalRegistry.start());
                faulty.add(LocalRegistry.start());
                proxies.add(FaultyProxy.start(faulty.get(i).address(), 1000 + i, 0.15));
            }
            Path a = Projects.copy("serverless-init", tmp.resolve("clean"));
            Path b = Projects.copy("serverless-init", tmp.resolve("faulty"));

            CutterProcess.Result good = release(a, clean.stream().map(LocalRegistry::address).toList());
            CutterProcess.Result bad = release(b, proxies.stream().map(FaultyProxy::address).toList());

            assertThat(good.exit()).as(good.out()).isZero();
            assertThat(bad.exit()).as(bad.out() + bad.err()).isZero();
            int injected = proxies.stream().mapToInt(FaultyProxy::injected).sum();
            assertThat(injected).as("faults injected").isGreaterThanOrEqualTo(10);
            for (int i = 0; i < VARS.size(); i++) {
                String path = i == 0 ? "/ci/datadog-agent/serverless-init" : List.of("", "/datadog/serverless-init",
                        "/datadoghq/serverless-init", "/datadoghq/gcr.io/serverless-init", "/datadog/serverless-init").get(i);
                assertThat(ServerlessInitReleaseTest.tags(faulty.get(i).address() + path))
                        .as("registry " + i + " after " + injected + " faults")
                        .isEqualTo(ServerlessInitReleaseTest.tags(clean.get(i).address() + path));
            }
            System.out.println("faults injected: " + injected);
        } finally {
            proxies.forEach(FaultyProxy::close);
            for (LocalRegistry r : clean) {
                r.close();
            }
            for (LocalRegistry r : faulty) {
                r.close();
            }
        }
    }
}
