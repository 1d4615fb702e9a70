package dev.cutter.run.jobs;
import dev.cutter.kinds.archive.ArchiveJob;
import dev.cutter.kinds.repository.RepositoryJob;
import dev.cutter.kinds.checksums.ChecksumsJob;
import dev.cutter.kinds.sign.SignJob;
import dev.cutter.kinds.release.ReleaseJob;
import dev.cutter.kinds.packages.PackageJob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.content.Digest;
import dev.cutter.content.TreeSnapshot;
import dev.cutter.ledger.Artifact;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.deb.DebWriter;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.run.JobFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the release jobs write to dist/ and to repositories: served as it is, never outside, never replaced. */
@org.junit.jupiter.api.Tag("security")
class PublishedDistTest {
    static final Path KEY = Path.of("examples/veilid/keys/repo-key.asc");

    @TempDir
    Path project;

    Contexts.Recording context(String id, Action action, Job... needs) {
        Job job = new Job(id, "x", id, java.util.Arrays.stream(needs).map(Job::id).toList(), Map.of(), Optional.empty(), action);
        return new Contexts.Recording(project, job, Map.of("KEY", readKey()), needs);
    }

    static String readKey() {
        try {
            return Files.readString(KEY);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void archivesChecksumsAndSignaturesAreReadableByAWebServer() throws Exception {
        Files.writeString(project.resolve("README"), "hello\n");
        Contexts.Recording archive = context("archive", new Action.Archive("tar.gz", "hello.tar.gz",
                List.of(new Action.ArchiveFile("README", Optional.empty(), Optional.empty())), Optional.empty()));
        List<Artifact> archived = Contexts.run(new ArchiveJob(), archive).outputs();
        Job archiveJob = archive.job();
        Contexts.Recording sums = context("sums", new Action.Checksums("SHA256SUMS", "sha256"), archiveJob);
        sums.artifacts.put("archive", archived);
        List<Artifact> summed = Contexts.run(new ChecksumsJob(), sums).outputs();
        Contexts.Recording sign = context("sign", new Action.Sign("all", "detached", "${env:KEY}", Optional.empty()), archiveJob,
                sums.job());
        sign.artifacts.put("archive", archived);
        sign.artifacts.put("sums", summed);
        Contexts.run(new SignJob(), sign);

        assertThat(TreeSnapshot.of(project.resolve("dist"))).containsKeys("hello.tar.gz", "SHA256SUMS", "hello.tar.gz.asc",
                "SHA256SUMS.asc").allSatisfy((path, entry) -> assertThat(entry).as(path)
                        .matches(entry.startsWith("dir") ? "dir rwxr-xr-x" : "file rw-r--r-- .*"));
    }

    @Test
    void anArchiveNamedOutsideDistFailsTheJobAndWritesNothing() throws Exception {
        Files.writeString(project.resolve("README"), "hello\n");
        Contexts.Recording archive = context("archive", new Action.Archive("tar.gz", "../../escaped.tar.gz",
                List.of(new Action.ArchiveFile("README", Optional.empty(), Optional.empty())), Optional.empty()));

        assertThatThrownBy(() -> Contexts.run(new ArchiveJob(), archive)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("archive '../../escaped.tar.gz' is not a file name inside");
        assertThat(project.getParent().resolve("escaped.tar.gz")).doesNotExist();
    }

    @Test
    void aRepositoryJobRefusesAChangedPackageOfAPublishedVersionByLaw() throws Exception {
        Path first = deb("first build\n", "first");
        Path second = deb("second build\n", "second");
        Action.Repository action = new Action.Repository("apt", "dir:repo", Optional.empty(), Optional.empty(), List.of("hello"), 0,
                false, false, List.of("gz"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job pkg = new Job("pkg", "package", "pkg", List.of(), Map.of(), Optional.empty(), action);
        Contexts.Recording published = context("repo", action, pkg);
        published.artifacts.put("pkg", List.of(output(first)));
        Contexts.run(new RepositoryJob(), published);
        Map<String, String> before = TreeSnapshot.of(project.resolve("repo"));
        Contexts.Recording rebuilt = context("repo", action, pkg);
        rebuilt.artifacts.put("pkg", List.of(output(second)));

        assertThatThrownBy(() -> Contexts.run(new RepositoryJob(), rebuilt)).isInstanceOfSatisfying(JobFailure.class,
                f -> assertThat(f.kind()).isEqualTo(JobFailure.Kind.REFUSED))
                .hasMessageContaining("already holds hello 1.0 (amd64) with other contents")
                .hasMessageContaining("a published version never changes");
        assertThat(TreeSnapshot.of(project.resolve("repo"))).isEqualTo(before);
    }

    Artifact output(Path deb) throws Exception {
        return new Artifact("r1", "pkg", "hello", project.relativize(deb), Digest.sha256(deb), Files.size(deb), "package");
    }

    Path deb(String content, String dir) throws Exception {
        Path file = Files.writeString(Files.createDirectories(project.resolve("src-" + dir)).resolve("README"), content);
        PackageMetadata m = new PackageMetadata("hello", "1.0", "", "amd64", "hello", "hello", Optional.of("T <t@cutter.invalid>"),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/share/hello/README", file, 0644, false)), Map.of(), Instant.parse("2026-01-02T03:04:05Z"));
        Path target = Files.createDirectories(project.resolve("dist-" + dir)).resolve(DebWriter.fileName(m));
        new DebWriter().write(m, target, TestStaging.in(project));
        return target;
    }
}
