package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.repo.yum.DnfClient;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release killed with SIGKILL while it has a file half written (an archive, a package copied
 * into a yum or an apt repository, a release being staged), then resumed: afterwards no temporary
 * file is left anywhere in {@code dist/} (the published trees are in there) or in Cutter's staging,
 * createrepo_c finds nothing in the yum tree but the packages its metadata lists, dnf lists exactly
 * the packages released so far, and apt's index lists exactly the pool's files.
 *
 * <p>The kill points are deterministic: with {@code --parallel 1}, the test waits for the job to
 * start and then for the first file it stages to appear (a 16 MiB payload keeps each one there
 * for tens of milliseconds), and kills the release then.
 */
@Tag("e2e")
class NoTempFilesAfterACrashTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");
    /** Cutter's bookkeeping in the published trees: the yum index, apt's state and generations, the store's lock and releases. */
    static final Set<String> BOOKKEEPING = Set.of(".cutter-yum-index", ".cutter-yum-index.lock", ".cutter", ".generations", ".lock",
            ".releases");
    static final Pattern TEMPORARY_SUFFIX = Pattern.compile(".*\\.(tmp|part|partial|staged|pin)$");

    @TempDir
    Path tmp;

    static Path project(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        byte[] payload = new byte[16 << 20];
        new Random(20261207).nextBytes(payload); // incompressible: each copy takes a while
        Files.write(dir.resolve("data/payload.bin"), payload);
        Files.writeString(dir.resolve("data/small.txt"), "small\n");
        Files.createDirectories(dir.resolve("keys"));
        Files.copy(Path.of("examples/veilid/keys/repo-key.asc"), dir.resolve("keys/repo-key.asc"));
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: crashy
                version:
                  tag: "v{version}"
                channels:
                  stable: { match: "*" }
                packages:
                  - id: payload
                    formats: [deb, rpm]
                    platforms: [linux/amd64]
                    description: "A large payload"
                    maintainer: "Cutter Test <test@cutter.invalid>"
                    license: "MIT"
                    files:
                      /usr/share/payload/data.bin: "data/payload.bin"
                  - id: small
                    formats: [deb, rpm]
                    platforms: [linux/amd64]
                    description: "A small package"
                    maintainer: "Cutter Test <test@cutter.invalid>"
                    license: "MIT"
                    files:
                      /usr/share/small/small.txt: "data/small.txt"
                repositories:
                  - id: yum
                    type: yum
                    packages: [payload, small]
                    publish: "dir:dist/repo/rpm"
                    sign: { key: "${file:keys/repo-key.asc}" }
                  - id: apt
                    type: apt
                    packages: [payload, small]
                    publish: "dir:dist/repo/apt"
                    sign: { key: "${file:keys/repo-key.asc}" }
                archives:
                  - id: bundle
                    name: "crashy-{version}.tar.gz"
                    format: tar.gz
                    files:
                      - { src: "data/**", dst: "data" }
                checksums:
                  name: SHA256SUMS
                signs:
                  - id: sums
                    artifacts: checksums
                    key: "${file:keys/repo-key.asc}"
                releases:
                  - id: store
                    name: "v{version}"
                    store: "dir:dist/releases"
                """);
        Projects.git(dir, "init", "-q", "-b", "main");
        Projects.git(dir, "add", "-A");
        Projects.git(dir, "commit", "-q", "-m", "crashy");
        return dir;
    }

    /** Where a release is killed: the version it releases and the job whose staged file is there at that moment. */
    record Point(String version, String job) {}

    @Test
    void aReleaseKilledWhileAFileIsHalfWrittenLeavesNoTemporaryFileOnceResumed() throws Exception {
        Tools.require("createrepo_c", "createrepo-c");
        Tools.require("dnf", "dnf");
        Path dir = project(tmp.resolve("crashy"));
        List<String> released = new ArrayList<>();
        for (Point point : List.of(new Point("1.0.0", "archive/bundle"), new Point("1.0.1", "repository/yum"),
                new Point("1.0.2", "repository/apt"), new Point("1.0.3", "release/store"))) {
            Path log = dir.resolve("killed-" + point.version() + ".log");
            // a process: it is killed with SIGKILL mid-write
            Process release = CutterProcess.start(dir, ENV, log, "release", "--version", point.version(), "--parallel", "1");
            Optional<Path> staged = awaitStagedFile(release, dir, log, point.job() + " started");
            release.destroyForcibly();
            assertThat(release.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String context = "killed in " + point.job() + " of " + point.version() + " while " + staged.map(Path::toString).orElse("nothing")
                    + " was staged; log:\n" + Files.readString(log);
            assertThat(staged).as(context).isPresent();
            System.out.println("killed in " + point.job() + " of " + point.version() + " while " + staged.get() + " was staged");

            CutterProcess.Result resumed = CutterProcess.inProcess(dir, ENV, "release", "--resume", "last");
            context += "\nresumed:\n" + resumed.out() + resumed.err();
            assertThat(resumed.exit()).as(context).isZero();
            released.add(point.version());

            assertThat(leftovers(dir.resolve("dist"))).as(context).isEmpty();
            assertThat(staging(dir)).as(context + "\nCutter's staging after the resume").isEmpty();
            Set<String> expected = new TreeSet<>();
            for (String version : released) {
                expected.add("payload-" + version + "-1.x86_64 Packages/payload-" + version + "-1.x86_64.rpm");
                expected.add("small-" + version + "-1.x86_64 Packages/small-" + version + "-1.x86_64.rpm");
            }
            assertThat(dnfList(dir.resolve("dist/repo/rpm"), dir.resolve("dnf-" + point.version()))).as(context).isEqualTo(expected);
            assertThat(createrepoList(dir.resolve("dist/repo/rpm"), dir.resolve("createrepo-" + point.version()))).as(context)
                    .isEqualTo(expected.stream().map(line -> line.substring(line.indexOf(' ') + 1)).collect(Collectors.toCollection(TreeSet::new)));
            assertThat(aptPool(dir.resolve("dist/repo/apt"))).as(context).isEqualTo(aptIndex(dir.resolve("dist/repo/apt")))
                    .hasSize(2 * released.size());
        }
    }

    /**
     * Waits until the release's log shows {@code started} and then a new file of the job is staged
     * (a temporary file in dist/ or a file in Cutter's staging); returns that file, or empty when
     * the release ended first.
     */
    static Optional<Path> awaitStagedFile(Process release, Path dir, Path log, String started) throws Exception {
        List<Path> before = staged(dir);
        while (release.isAlive() && !(Files.exists(log) && Files.readString(log).contains(started))) {
            Thread.sleep(2); // polling the log of another process
        }
        while (release.isAlive()) {
            try {
                Optional<Path> found = staged(dir).stream().filter(p -> !before.contains(p)).findFirst();
                if (found.isPresent()) {
                    return found;
                }
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                // a file went away while the tree was listed: look again
            }
            Thread.sleep(1); // a staged file lives for tens of milliseconds
        }
        return Optional.empty();
    }

    /** Temporary files in dist/, and files in Cutter's staging. */
    static List<Path> staged(Path dir) throws IOException {
        List<Path> found = new ArrayList<>(leftovers(dir.resolve("dist")).stream().map(p -> Path.of("dist").resolve(p)).toList());
        Path staging = dir.resolve(".cutter/staging");
        staging(dir).stream().map(staging::resolve).filter(Files::isRegularFile).map(dir::relativize).forEach(found::add);
        return found;
    }

    /**
     * Every file or directory under {@code root} that is not published and not Cutter's
     * bookkeeping: a hidden name other than the bookkeeping's, or a temporary file's suffix.
     */
    static List<Path> leftovers(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) { // links are not followed: each file is seen where it is
            walk.forEach(p -> {
                Path relative = root.relativize(p);
                for (Path part : relative) {
                    String name = part.toString();
                    if ((name.startsWith(".") && !BOOKKEEPING.contains(name)) || TEMPORARY_SUFFIX.matcher(name).matches()) {
                        found.add(relative);
                        return;
                    }
                }
            });
        }
        return found;
    }

    /** Every file and directory in the project's staging ({@code .cutter/staging}). */
    static List<Path> staging(Path project) throws IOException {
        Path staging = project.resolve(".cutter/staging");
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.filter(p -> !p.equals(staging)).map(staging::relativize).toList();
        }
    }

    /** What dnf finds in the signed repository: {@code NAME-EVR.ARCH LOCATION}, one per package. */
    static Set<String> dnfList(Path repository, Path home) throws Exception {
        DnfClient dnf = new DnfClient(home, repository.toUri().toString(), Path.of("examples/veilid/keys/repo-key.pub.asc").toAbsolutePath(),
                false, "x86_64");
        String out = run(dnf.command("repoquery", "--available", "--qf", "%{name}-%{evr}.%{arch} %{location}"));
        return out.lines().filter(l -> l.matches("\\S+ Packages/\\S+\\.rpm")).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What createrepo_c lists when it indexes the tree anew (every .rpm file under it, hidden ones
     * too), on a copy of the packages by hard link; it must read every one of them.
     */
    static Set<String> createrepoList(Path repository, Path copy) throws Exception {
        try (Stream<Path> walk = Files.walk(repository)) {
            for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Path relative = repository.relativize(file);
                if (relative.startsWith("repodata")) {
                    continue;
                }
                Files.createDirectories(copy.resolve(relative).getParent());
                Files.createLink(copy.resolve(relative), file);
            }
        }
        String out = run(List.of("createrepo_c", "--no-database", copy.toString()));
        assertThat(out).as("createrepo_c reads every package in the tree").doesNotContain("Cannot read package", "invalid packages");
        Path primary;
        try (Stream<Path> files = Files.list(copy.resolve("repodata"))) {
            primary = files.filter(f -> f.getFileName().toString().endsWith("primary.xml.gz")).findFirst().orElseThrow();
        }
        String xml;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(primary))) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> locations = new TreeSet<>();
        var matcher = Pattern.compile("<location href=\"([^\"]+)\"").matcher(xml);
        while (matcher.find()) {
            locations.add(matcher.group(1));
        }
        return locations;
    }

    /** The .deb files in the apt repository's pool, hidden ones too, relative to its root. */
    static Set<String> aptPool(Path repository) throws IOException {
        try (Stream<Path> walk = Files.walk(repository.resolve("pool"))) {
            return walk.filter(Files::isRegularFile).map(p -> repository.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The files apt's index of stable/main/amd64 names. */
    static Set<String> aptIndex(Path repository) throws IOException {
        String packages = Files.readString(repository.resolve("dists/stable/main/binary-amd64/Packages"));
        return packages.lines().filter(l -> l.startsWith("Filename: ")).map(l -> l.substring("Filename: ".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
