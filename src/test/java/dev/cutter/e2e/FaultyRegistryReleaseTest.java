package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.RunState;
import dev.cutter.testing.FaultyProxy;
import dev.cutter.testing.FaultyProxy.Fault;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless-init release (two variants × two platforms, five registries, floating tags,
 * replication two at a time) through proxies that inject the faults of real networks: 503, 429
 * with Retry-After, connections dropped before and after the registry did the work, answers held
 * back past the client's time-out, and bodies cut short. Each seeded trial either ends like a
 * clean release (the same tags at the same digests in all five registries) or fails with a clear
 * message, after which {@code --resume last}, through the same faults, completes to those digests.
 * At every step no tag points anywhere but where the clean release put it. {@code -Dcutter.trials}
 * trials (3 in CI; {@code bench/reliability} runs 20).
 */
@Tag("e2e")
class FaultyRegistryReleaseTest {
    static final List<String> VARS = List.of("BUILD_REGISTRY", "ECR", "GCR", "GAR", "DOCKERHUB");
    static final List<String> PATHS = List.of("/ci/datadog-agent/serverless-init", "/datadog/serverless-init",
            "/datadoghq/serverless-init", "/datadoghq/gcr.io/serverless-init", "/datadog/serverless-init");
    /**
     * The client's time-out, and the injected stall that outlasts it. At 1 s a loaded 2-core
     * machine answered ordinary requests late too, and one trial's validation failed six times on
     * requests the proxy had not stalled: the trials measured the machine, not the faults.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Duration STALL_FOR = TIMEOUT.plusSeconds(1);
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045", "SLACK_WEBHOOK", "http://127.0.0.1:9/x",
            "CUTTER_REGISTRY_TIMEOUT", String.valueOf(TIMEOUT.toSeconds()));
    static final List<Fault> FAULTS = List.of(Fault.UNAVAILABLE, Fault.TOO_MANY, Fault.RESET_BEFORE, Fault.RESET_AFTER,
            Fault.STALL, Fault.TRUNCATED, Fault.TRUNCATED); // truncation twice: it only concerns answers with a body
    static final int TRIALS = Integer.getInteger("cutter.trials", 3);
    static final int RESUMES = 6;

    @TempDir
    Path tmp;

    /**
     * Where the Dockerfiles' bases are, outside the faults and the same for every trial: a built
     * image records its base's name, so the clean release and the trials must build on one.
     */
    LocalRegistry bases;

    @org.junit.jupiter.api.BeforeEach
    void startBases() throws Exception {
        bases = LocalRegistry.start();
        Projects.releaseBases(Projects.copy("serverless-init", tmp.resolve("bases")), "BASES", bases.address());
    }

    @org.junit.jupiter.api.AfterEach
    void stopBases() throws Exception {
        bases.close();
    }

    CutterProcess.Result release(Path project, List<String> addresses) throws Exception {
        List<String> args = new ArrayList<>(List.of("release", "--tag", "serverless-init-1.7.8"));
        for (int i = 0; i < VARS.size(); i++) {
            args.addAll(List.of("--var", VARS.get(i) + "=" + addresses.get(i)));
        }
        args.addAll(List.of("--var", "BASES=" + bases.address()));
        return CutterProcess.inProcess(project, ENV, args.toArray(String[]::new));
    }

    static List<Map<String, String>> tags(List<LocalRegistry> registries) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < registries.size(); i++) {
            out.add(ServerlessInitReleaseTest.tags(registries.get(i).address() + PATHS.get(i)));
        }
        return out;
    }

    @Test
    void everyTrialThroughFaultsEndsWithTheDigestsOfACleanReleaseAfterAtMostAFewResumes() throws Exception {
        List<LocalRegistry> clean = new ArrayList<>();
        for (int i = 0; i < VARS.size(); i++) {
            clean.add(LocalRegistry.start());
        }
        List<Map<String, String>> expected;
        try {
            Path a = Projects.copy("serverless-init", tmp.resolve("clean"));
            CutterProcess.Result good = release(a, clean.stream().map(LocalRegistry::address).toList());
            assertThat(good.exit()).as(good.out() + good.err()).isZero();
            expected = tags(clean);
            assertThat(expected.get(0)).containsKeys("1.7.8", "1.7.8-alpine", "latest", "1", "latest-alpine");
        } finally {
            for (LocalRegistry r : clean) {
                r.close();
            }
        }

        Map<String, Integer> outcomes = new TreeMap<>();
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = 20261203L * 100 + trial;
            double rate = 0.05 + 0.05 * (trial % 4); // 5 % to 20 % of the requests
            List<LocalRegistry> registries = new ArrayList<>();
            List<FaultyProxy> proxies = new ArrayList<>();
            try {
                for (int i = 0; i < VARS.size(); i++) {
                    registries.add(LocalRegistry.start());
                    proxies.add(FaultyProxy.start(registries.get(i).address(), seed * 10 + i, rate, FAULTS, STALL_FOR));
                }
                List<String> through = proxies.stream().map(FaultyProxy::address).toList();
                Path dir = Projects.copy("serverless-init", tmp.resolve("trial-" + trial));
                CutterProcess.Result result = release(dir, through);
                int resumes = 0;
                while (result.exit() != 0) {
                    String context = "trial " + trial + " (seed " + seed + ", rate " + rate + ") after " + resumes + " resumes: "
                            + result.out() + result.err();
                    assertThat(result.exit()).as(context).isIn(1, 4);
                    assertThat(result.err() + result.out()).as("a clear message, not a stack trace: " + context).doesNotContain("\tat ");
                    assertNoTagElsewhere(registries, expected, context);
                    try (Ledger ledger = Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
                        var run = ledger.latestRun().orElseThrow();
                        assertThat(run.state()).as("a failed run is not recorded as released: " + context).isNotEqualTo(RunState.SUCCEEDED);
                    }
                    assertThat(resumes++).as("resumes needed: " + context).isLessThan(RESUMES);
                    result.out().lines().filter(l -> l.contains("FAILED")).findFirst()
                            .ifPresent(l -> System.out.println("fault trial " + seed + " failed: " + l.strip()));
                    result = CutterProcess.inProcess(dir, ENV, "release", "--resume", "last"); // the run's own variables
                }
                String context = "trial " + trial + " (seed " + seed + ", rate " + rate + ")";
                assertThat(tags(registries)).as(context + " after " + resumes + " resumes").isEqualTo(expected);
                outcomes.merge(resumes == 0 ? "released through the faults" : "failed, then resumed " + resumes + "×", 1, Integer::sum);
                proxies.forEach(p -> p.injectedByKind().forEach((f, n) -> injected.merge(f, n, Integer::sum)));
            } finally {
                proxies.forEach(FaultyProxy::close);
                for (LocalRegistry r : registries) {
                    r.close();
                }
            }
        }
        System.out.println("fault trials: " + TRIALS + ", outcomes " + outcomes + ", faults injected " + injected);
        assertThat(injected.values().stream().mapToInt(Integer::intValue).sum()).as("faults injected").isGreaterThanOrEqualTo(10 * TRIALS);
    }

    /** Every tag a trial has made so far points where the clean release put it: no wrong tag, ever. */
    static void assertNoTagElsewhere(List<LocalRegistry> registries, List<Map<String, String>> expected, String context) {
        List<Map<String, String>> now = tags(registries);
        for (int i = 0; i < now.size(); i++) {
            Map<String, String> wrong = new HashMap<>();
            Map<String, String> want = expected.get(i);
            now.get(i).forEach((tag, digest) -> {
                if (!digest.equals(want.get(tag))) {
                    wrong.put(tag, digest);
                }
            });
            assertThat(wrong).as("tags at other digests in registry " + i + ": " + context).isEmpty();
        }
    }
}
