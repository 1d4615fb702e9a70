package dev.cutter.kinds.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Staging;
import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import dev.cutter.run.jobs.Shell;
import dev.cutter.run.jobs.DistFiles;

/**
 * Runs a build's command through {@code /bin/sh} with the matrix's environment, logs its output
 * line by line, checks and hashes the declared outputs. A build that declares {@code inputs}
 * is skipped when its command, environment and input files are unchanged since a successful
 * run and its outputs are present (or restored from the content-addressed cache under
 * {@code .cutter/cache}).
 */
public final class BuildJob implements ActionHandler<Action.Build> {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final Map<String, String> environment;

    /** @param environment the environment commands inherit (the process's own, in production) */
    public BuildJob(Map<String, String> environment) {
        this.environment = environment;
    }

    private record CacheEntry(String key, List<CachedOutput> outputs) {}

    private record CachedOutput(String path, String digest, long size) {}

    @Override
    public JobOutcome run(JobContext context, Action.Build build) throws Exception {
        Map<String, String> env = new TreeMap<>();
        build.env().forEach((k, v) -> env.put(k, context.secrets().resolve(v)));
        Path project = context.projectDir();
        Path cacheDir = project.resolve(".cutter/cache");
        String key = build.inputs().isEmpty() ? null : cacheKey(build, project);
        if (key != null) {
            var cached = fromCache(context, key, project, cacheDir, DistFiles.staging(context));
            if (cached != null) {
                return cached;
            }
        }
        Path workdir = build.dir().equals("clean") ? cleanDir(context) : project;
        int status = Shell.run(context, build.command(), env, workdir, environment, build.inheritEnv());
        if (status != 0) {
            throw JobFailure.failed("`" + abbreviate(build.command()) + "` exited with status " + status
                    + " (see `cutter runs logs " + context.runId() + " " + context.job().id() + "`)");
        }
        List<Artifact> outputs = new ArrayList<>();
        for (String declared : build.outputs()) {
            Path produced = workdir.resolve(declared);
            if (!Files.isRegularFile(produced)) {
                throw JobFailure.failed("the build did not produce its declared output " + declared + " (looked in " + workdir + ")");
            }
            Path target = project.resolve(declared);
            if (!workdir.equals(project)) {
                Files.createDirectories(target.getParent());
                Files.copy(produced, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            outputs.add(context.artifact("build", declared, Path.of(declared), Digest.sha256(target), Files.size(target)));
        }
        if (key != null) {
            toCache(key, outputs, project, cacheDir, DistFiles.staging(context));
        }
        return JobOutcome.done(outputs, List.of());
    }

    private Path cleanDir(JobContext context) throws IOException {
        Path dir = context.projectDir().resolve(".cutter/work").resolve(context.runId())
                .resolve(context.job().id().replace('/', '_'));
        dev.cutter.content.FileTrees.delete(dir);
        Files.createDirectories(dir);
        return dir;
    }

    // ---- cache --------------------------------------------------------------------------------

    /**
     * The command, the environment as planned and every input file's path and digest, hashed.
     * Secrets count as their references ({@code ${env:TOKEN}}), never as their values: a key
     * that depended on a secret's value would let whoever reads {@code .cutter/cache} test
     * guesses of it offline. A build whose output depends on a secret's value must declare what
     * else changes with it. Anything else a build reads is not known to Cutter: declare it.
     */
    private static String cacheKey(Action.Build build, Path project) throws IOException {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("command", build.command());
        key.put("env", new TreeMap<>(build.env()));
        key.put("inherit-env", build.inheritEnv());
        key.put("dir", build.dir());
        key.put("outputs", build.outputs());
        Map<String, String> inputs = new TreeMap<>();
        for (String pattern : build.inputs()) {
            for (Path file : matching(project, pattern)) {
                inputs.put(project.relativize(file).toString(), Digest.sha256(file).toString());
            }
        }
        key.put("inputs", inputs);
        return Digest.sha256(JSON.writeValueAsBytes(key)).hex();
    }

    static List<Path> matching(Path base, String pattern) throws IOException {
        Path literal = base.resolve(pattern);
        if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
            if (Files.isDirectory(literal)) {
                pattern = pattern.endsWith("/") ? pattern + "**" : pattern + "/**";
            } else {
                return Files.isRegularFile(literal) ? List.of(literal) : List.of();
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(base));
        while (!todo.isEmpty()) {
            Path dir = todo.pop();
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.sorted().toList()) {
                    Path relative = base.relativize(p);
                    if (relative.startsWith(".cutter") || relative.startsWith(".git")) {
                        continue;
                    }
                    if (Files.isDirectory(p)) {
                        todo.push(p);
                    } else if (matcher.matches(relative)) {
                        out.add(p);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static JobOutcome fromCache(JobContext context, String key, Path project, Path cacheDir, Staging staging)
            throws IOException {
        Path entryFile = cacheDir.resolve("builds").resolve(key + ".json");
        if (!Files.isRegularFile(entryFile)) {
            return null;
        }
        CacheEntry entry = JSON.readValue(entryFile.toFile(), CacheEntry.class);
        boolean restored = false;
        List<Artifact> outputs = new ArrayList<>();
        for (CachedOutput cached : entry.outputs()) {
            Path target = project.resolve(cached.path());
            Digest digest = Digest.parse(cached.digest());
            if (!Files.isRegularFile(target) || !Digest.sha256(target).equals(digest)) {
                Path blob = cacheDir.resolve("blobs/sha256").resolve(digest.hex());
                if (!Files.isRegularFile(blob)) {
                    return null; // the cache lost it: build again
                }
                Files.createDirectories(target.getParent());
                staging.write(target, temp -> Files.copy(blob, temp, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES));
                restored = true;
            }
            outputs.add(context.artifact("build", cached.path(), Path.of(cached.path()), digest, cached.size()));
        }
        return JobOutcome.skipped(restored ? "inputs unchanged since a successful build; outputs restored from the cache"
                : "inputs unchanged since a successful build; outputs present", outputs);
    }

    private static void toCache(String key, List<Artifact> outputs, Path project, Path cacheDir, Staging staging) throws IOException {
        Path blobs = Files.createDirectories(cacheDir.resolve("blobs/sha256"));
        List<CachedOutput> cached = new ArrayList<>();
        for (Artifact output : outputs) {
            Path blob = blobs.resolve(output.digest().hex());
            if (!Files.exists(blob)) {
                staging.write(blob, temp -> Files.copy(project.resolve(output.path()), temp, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES));
            }
            cached.add(new CachedOutput(output.name(), output.digest().toString(), output.size()));
        }
        Path builds = Files.createDirectories(cacheDir.resolve("builds"));
        staging.write(builds.resolve(key + ".json"), temp -> JSON.writeValue(temp.toFile(), new CacheEntry(key, cached)));
    }

    private static String abbreviate(String command) {
        String one = command.strip().replaceAll("\\s*\\n\\s*", "; ");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
