package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release runtime starts from its class-data archive once installed: the jar and the runtime
 * made by {@code packaging/jar.sh} and {@code packaging/runtime.sh} from a copy of this checkout,
 * packed and unpacked as the tarball is (every file stamped with the source date), then
 * {@code bin/cutter --version}, {@code bin/cutter plan}, {@code bin/cutter repo index} (apt and yum) and
 * {@code bin/cutter release} (an image pushed to a loopback registry) run with the JVM's class-loading log.
 * Every picocli class must come from the archive ("shared objects file"), not from the jar: picocli's
 * Java 5 class files are kept out of any archive unless they are written again, and an archive made
 * for a jar with another modification time is not used at all.
 */
@Tag("e2e")
class RuntimeArchiveTest {
    static final String EPOCH = "1767323045";

    @TempDir
    Path tmp;

    @Test
    void theInstalledRuntimeLoadsPicocliAndEveryClassOfTheVersionFromItsArchive() throws Exception {
        Path project = SelfReleaseTest.checkout(tmp.resolve("cutter"));
        Map<String, String> env = new java.util.HashMap<>(Map.of("SOURCE_DATE_EPOCH", EPOCH));
        if (System.getenv("CUTTER_MAVEN_ARGS") != null) {
            env.put("CUTTER_MAVEN_ARGS", System.getenv("CUTTER_MAVEN_ARGS"));
        }
        sh(project, env, "packaging/jar.sh 0.9.1 && packaging/runtime.sh \"$(dpkg --print-architecture)\" dist/cutter dist/rootfs");
        // as the tarball installs it: elsewhere, every file with the source date as its time
        Path installed = Files.createDirectories(tmp.resolve("installed"));
        sh(project, env, "tar -C dist -c --mtime=@" + EPOCH + " cutter | tar -C '" + installed + "' -x");
        Path cutter = installed.resolve("cutter/bin/cutter");

        Path log = tmp.resolve("version.log");
        assertThat(sh(project, Map.of("CUTTER_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "'" + cutter + "' --version"))
                .startsWith("cutter 0.9.1\n");
        List<String> version = Files.readAllLines(log);
        assertThat(picocli(version)).hasSizeGreaterThan(100).allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));
        assertThat(version).filteredOn(line -> line.contains("source: file:") || line.contains("source: jar:"))
                .as("classes --version read from the jar").isEmpty();

        // every start reads the central directory of the jar it runs: Cutter's and picocli's classes
        // only, the libraries in the jar its Class-Path names, which the version never needs
        try (java.util.jar.JarFile small = new java.util.jar.JarFile(installed.resolve("cutter/lib/cutter.jar").toFile())) {
            assertThat(small.getManifest().getMainAttributes().getValue("Class-Path")).isEqualTo("cutter-libs.jar");
            assertThat(small.stream().map(java.util.zip.ZipEntry::getName).filter(name -> name.endsWith(".class")))
                    .hasSizeLessThan(2_000).allSatisfy(name -> assertThat(name).matches("(dev/cutter|picocli)/.*"));
        }
        Path libraries = installed.resolve("cutter/lib/cutter-libs.jar");
        Files.move(libraries, tmp.resolve("elsewhere.jar"));
        assertThat(sh(project, Map.of(), "'" + cutter + "' --version")).startsWith("cutter 0.9.1\n");
        Files.move(tmp.resolve("elsewhere.jar"), libraries);

        Path planLog = tmp.resolve("plan.log");
        sh(project, Map.of("CUTTER_JAVA_OPTS", "-Xlog:class+load=info:file=" + planLog),
                "'" + cutter + "' plan -f examples/km/cutter.yaml --version 0.2.0 >/dev/null");
        assertThat(picocli(Files.readAllLines(planLog))).hasSizeGreaterThan(100)
                .allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));

        // `cutter repo` starts from the cache of repo (index and add, apt and yum, trained in one
        // process): the reading, hashing and index writing of both kinds come linked from it
        indexesFromTheCache(project, installed, cutter, "deb", "apt/pool/main", "apt");
        indexesFromTheCache(project, installed, cutter, "rpm", "yum", "yum");

        // `cutter release` starts from the cache of a release: the scheduler, the SQLite ledger, the
        // content store, the HTTP client and the registry push come linked from it, not from the jar
        // (only the classes the JVM spins at run time, named with their address, are made anew)
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path release = Files.createDirectories(tmp.resolve("release"));
            Files.writeString(release.resolve("cutter.yaml"), """
                    project: hello
                    registries: { local: { url: "%s" } }
                    builds:
                      - id: hello
                        run: mkdir -p dist && echo hello > dist/hello
                        outputs: [ "dist/hello" ]
                    images:
                      - id: hello
                        platforms: [linux/amd64]
                        from: scratch
                        files: { "/hello": "dist/hello" }
                        push: local/hello
                        tags: [ "{version}" ]
                    """.formatted(registry.address()));
            Path releaseLog = tmp.resolve("release.log");
            sh(release, Map.of("CI", "1", "CUTTER_JAVA_OPTS", "-Xlog:class+load=info:file=" + releaseLog),
                    "'" + cutter + "' release --version 1.0.0 --sha 0000000000000000000000000000000000000000 >/dev/null");
            List<String> loaded = Files.readAllLines(releaseLog).stream().filter(line -> !line.contains("/0x")).toList();
            for (String pkg : List.of(" dev.cutter.run.", " dev.cutter.ledger.", " dev.cutter.oci.", " org.sqlite.", " jdk.internal.net.http.")) {
                assertThat(loaded).as("classes of%s", pkg).filteredOn(line -> line.contains(pkg)).hasSizeGreaterThan(30)
                        .allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));
            }
        }
    }

    /**
     * Indexes 3 generated packages of {@code format} (put in {@code packages} under the temporary
     * directory) as a {@code type} repository with the installed runtime; every class of
     * {@code dev.cutter.repo.<type>} it loads comes from the cache.
     */
    private void indexesFromTheCache(Path project, Path installed, Path cutter, String format, String packages, String type)
            throws IOException, InterruptedException {
        Path log = tmp.resolve(type + ".log");
        Path repository = tmp.resolve(type);
        sh(project, Map.of(), "\"$(scripts/find-jdk)/bin/java\" -cp '" + installed.resolve("cutter/lib/cutter.jar")
                + "' bench/GeneratePackages.java " + format + " 3 '" + tmp.resolve(packages) + "'");
        assertThat(sh(project, Map.of("CUTTER_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "'" + cutter + "' repo index --dir '" + repository + "' --type " + type)).contains("3 packages");
        assertThat(Files.readAllLines(log)).filteredOn(line -> line.contains(" dev.cutter.repo." + type + "."))
                .hasSizeGreaterThan(10).allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));
    }

    private static List<String> picocli(List<String> classLoadLog) {
        return classLoadLog.stream().filter(line -> line.contains(" picocli.")).toList();
    }

    private static String sh(Path dir, Map<String, String> env, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(command + " failed in " + dir + ":\n" + out);
        }
        return out;
    }
}
