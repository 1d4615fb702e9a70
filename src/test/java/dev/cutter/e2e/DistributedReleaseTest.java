package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.RunState;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless-init release spread over three "machines" (checkouts of one commit) the way a
 * CI engine runs an emitted pipeline: this test reads the GitLab child pipeline {@code cutter
 * emit} wrote and, as GitLab would, starts each job's script once its needs succeeded, three at
 * a time, round robin over the machines, sharing one PostgreSQL ledger and one registry for the
 * artifacts. One runner is killed with its whole process tree in the middle of a build; the
 * engine retries that job on another machine. The registries end up holding what a
 * single-machine {@code cutter release} of the same commit publishes, digest for digest.
 */
@Tag("e2e")
class DistributedReleaseTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    static final List<String> VARS = ServerlessInitReleaseTest.VARS;
    static final String TAG = "serverless-init-1.7.8";
    static final String SLOW = "build/binary/linux-arm64";

    final List<LocalRegistry> registries = new ArrayList<>();
    @TempDir
    Path tmp;

    @AfterEach
    void stop() throws Exception {
        for (LocalRegistry r : registries) {
            r.close();
        }
    }

    /** A checkout of the example where a build waits a minute when SLOW_BUILD is set (so a runner can be killed in it). */
    Path machine(String name) throws Exception {
        Path dir = Projects.copy("serverless-init", tmp.resolve(name));
        Path build = dir.resolve("build.sh");
        Files.writeString(build, Files.readString(build).replace("set -eu\n", "set -eu\nif [ -n \"${SLOW_BUILD:-}\" ]; then sleep 60; fi\n"));
        Path spec = dir.resolve("cutter.yaml"); // a build sees only what it is given: SLOW_BUILD, by name
        Files.writeString(spec, Files.readString(spec).replace("execution:\n", "execution:\n  inherit-env: [SLOW_BUILD]\n"));
        Projects.git(dir, "commit", "-qam", "a build that can be slowed");
        return dir;
    }

    List<String> vars(List<LocalRegistry> set) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < VARS.size(); i++) {
            String address = VARS.get(i).equals("BASES") ? registries.get(i).address() : set.get(i).address();
            args.addAll(List.of("--var", VARS.get(i) + "=" + address));
        }
        return args;
    }

    /** Every tag of every repository of a registry set, by path: what a release published there. */
    static Map<String, Map<String, String>> published(List<LocalRegistry> set, String suffix) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> paths = List.of("ci/datadog-agent/serverless-init", "datadog/serverless-init", "datadoghq/serverless-init",
                "datadoghq/gcr.io/serverless-init", "datadog/serverless-init");
        for (int i = 0; i < paths.size(); i++) {
            out.put(i + ":" + paths.get(i) + suffix, ServerlessInitReleaseTest.tags(set.get(i).address() + "/" + paths.get(i) + suffix));
        }
        return out;
    }

    @Test
    void anEmittedPipelineRunByThreeMachinesWithOneKilledEndsAsASingleMachineReleaseDigestForDigest() throws Exception {
        for (int i = 0; i < 2 * VARS.size(); i++) {
            registries.add(LocalRegistry.start());
        }
        List<LocalRegistry> single = registries.subList(0, VARS.size());
        List<LocalRegistry> spread = registries.subList(VARS.size(), 2 * VARS.size());
        Map<String, String> env = Map.of("SLACK_WEBHOOK", "http://127.0.0.1:9/unused");

        Path alone = machine("alone");
        Projects.releaseBases(alone, "BASES", single.get(5).address()); // both sets build on these: a build records its base's name
        List<String> args = new ArrayList<>(List.of("release", "--tag", TAG));
        args.addAll(vars(single));
        CutterProcess.Result released = CutterProcess.inProcess(alone, env, args.toArray(String[]::new));
        assertThat(released.exit()).as(released.out() + released.err()).isZero();

        List<Path> machines = List.of(machine("m0"), machine("m1"), machine("m2"));
        String ledger = POSTGRES.url();
        List<String> emit = new ArrayList<>(List.of("emit", "gitlab", "--tag", TAG, "--ledger", ledger,
                "--artifacts", spread.get(0).address() + "/cutter/artifacts", "-o", "pipeline.yml"));
        emit.addAll(vars(spread));
        CutterProcess.Result emitted = CutterProcess.inProcess(machines.get(0), env, emit.toArray(String[]::new));
        assertThat(emitted.exit()).as(emitted.out() + emitted.err()).isZero();
        JsonNode pipeline = new YAMLMapper().readTree(machines.get(0).resolve("pipeline.yml").toFile());
        String run = pipeline.path("variables").path("CUTTER_RUN").asText();
        assertThat(emitted.err()).contains("recorded run " + run);

        Path cutter = wrapper();
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        pipeline.fields().forEachRemaining(f -> {
            if (f.getValue().has("script")) {
                jobs.put(f.getKey(), f.getValue());
            }
        });
        Map<String, Integer> attempts = engine(jobs, machines, Map.of("CUTTER", cutter.toString(), "CUTTER_RUN", run,
                "CUTTER_LEDGER", ledger, "CUTTER_STALE_AFTER", "3s", "SLACK_WEBHOOK", "http://127.0.0.1:9/unused"));

        assertThat(attempts.get(SLOW)).as("the killed job was started twice").isEqualTo(2);
        assertThat(published(spread, "")).isEqualTo(published(single, ""));
        assertThat(published(spread, "").get("4:datadog/serverless-init").keySet()).containsExactly("1", "1-alpine", "1.7.8",
                "1.7.8-alpine", "latest", "latest-alpine");
        try (Ledger shared = Ledger.open(ledger)) {
            assertThat(shared.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            JobRecord slow = shared.jobs(run).stream().filter(j -> j.jobId().equals(SLOW)).findFirst().orElseThrow();
            assertThat(slow.attempts()).as("the ledger counts the killed runner's attempt and the retry's").isEqualTo(2);
            assertThat(shared.jobs(run)).allSatisfy(j -> assertThat(j.state().isFinal()).as(j.jobId()).isTrue());
        }
    }

    /**
     * What GitLab does with the child pipeline: each job's script runs once every job it needs
     * succeeded, three at a time, on the machines in turn; a job whose runner died is retried
     * (the pipeline says {@code retry: runner_system_failure}). The slow build's first runner is
     * killed, with everything it started, once the build is under way.
     */
    Map<String, Integer> engine(Map<String, JsonNode> jobs, List<Path> machines, Map<String, String> env) throws Exception {
        Map<String, Integer> attempts = new HashMap<>();
        Map<String, Boolean> succeeded = new HashMap<>();
        Map<String, Process> running = new LinkedHashMap<>();
        Map<String, Path> logs = new HashMap<>();
        int next = 0;
        // ten minutes: every job is a JVM of its own, and the images are four buildah builds, on 2 shared cores
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        boolean killed = false;
        while (succeeded.size() < jobs.size()) {
            assertThat(System.nanoTime()).as("the pipeline finishes within 10 minutes").isLessThan(deadline);
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                String job = entry.getKey();
                Process p = entry.getValue();
                if (!killed && job.equals(SLOW) && Files.readString(logs.get(job)).contains(SLOW + " started")) {
                    Thread.sleep(1000); // well into the build's minute
                    p.descendants().forEach(ProcessHandle::destroyForcibly); // the machine goes away: the JVM and its build
                    p.destroyForcibly();
                    p.waitFor();
                    killed = true;
                    it.remove(); // a lost runner: GitLab retries the job
                    continue;
                }
                if (!p.isAlive()) {
                    it.remove();
                    assertThat(p.exitValue()).as(job + " failed:\n" + Files.readString(logs.get(job))).isZero();
                    succeeded.put(job, true);
                }
            }
            for (var entry : jobs.entrySet()) {
                String job = entry.getKey();
                if (running.size() >= 3 || succeeded.containsKey(job) || running.containsKey(job)) {
                    continue;
                }
                boolean ready = true;
                for (JsonNode need : entry.getValue().path("needs")) {
                    ready &= succeeded.containsKey(need.asText());
                }
                if (!ready) {
                    continue;
                }
                int attempt = attempts.merge(job, 1, Integer::sum);
                Path machine = machines.get(next++ % machines.size());
                Path log = machine.resolve("job-" + attempts.values().stream().mapToInt(Integer::intValue).sum() + ".log");
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", entry.getValue().path("script").get(0).asText())
                        .directory(machine.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                pb.environment().put("CI", "true");
                if (job.equals(SLOW) && attempt == 1) {
                    pb.environment().put("SLOW_BUILD", "1");
                }
                running.put(job, pb.start());
                logs.put(job, log);
            }
            Thread.sleep(100); // polling the runners, as an engine does
        }
        assertThat(killed).as("the slow build's runner was killed").isTrue();
        return attempts;
    }

    /** {@code cutter} for the runners' scripts: this JVM and class path, as a command. */
    Path wrapper() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = tmp.resolve("cutter");
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' dev.cutter.cli.Cutter \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
