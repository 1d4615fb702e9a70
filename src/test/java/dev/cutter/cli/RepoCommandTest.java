package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.deb.DebWriter;
import dev.cutter.pkg.rpm.RpmWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter repo}: a repository managed by hand, published as a release publishes it. */
class RepoCommandTest {
    static final Path KEY = Path.of("examples/veilid/keys/repo-key.asc");
    static final Path PUBLIC_KEY = Path.of("examples/veilid/keys/repo-key.pub.asc");

    @TempDir
    Path tmp;

    PackageMetadata metadata(String name, String version, String arch, String release) throws Exception {
        Path file = Files.writeString(tmp.resolve(name + "-" + version + ".txt"), name + " " + version + "\n");
        return new PackageMetadata(name, version, release, arch, "The " + name + " tool", "The " + name + " tool.",
                Optional.of("Cutter Tests <tests@cutter.invalid>"), Optional.empty(), Optional.of("MIT"), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/share/" + name + "/README", file, 0644, false)), Map.of(),
                Instant.parse("2026-01-02T03:04:05Z"));
    }

    Path deb(String name, String version) throws Exception {
        PackageMetadata m = metadata(name, version, "amd64", "");
        Path target = tmp.resolve(DebWriter.fileName(m));
        new DebWriter().write(m, target, TestStaging.in(tmp));
        return target;
    }

    Path rpm(String name, String version) throws Exception {
        return new RpmWriter().write(metadata(name, version, "x86_64", "1"), Files.createDirectories(tmp.resolve("rpms")), TestStaging.in(tmp));
    }

    @Test
    void anAptRepositoryGrowsShrinksAndVerifiesUntilAnIndexIsTamperedWith() throws Exception {
        Path repo = tmp.resolve("apt");
        CliTest.Result added = CliTest.run("repo", "add", "--dir", repo.toString(), "--key", KEY.toString(),
                deb("hello", "1.0").toString(), deb("hello", "1.1").toString(), deb("world", "2.0").toString());
        CliTest.Result removed = CliTest.run("repo", "remove", "--dir", repo.toString(), "--key", KEY.toString(), "hello",
                "--version", "1.0");
        CliTest.Result listed = CliTest.run("repo", "list", "--dir", repo.toString());
        CliTest.Result verified = CliTest.run("repo", "verify", "--dir", repo.toString());

        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("added hello 1.0 amd64", "added world 2.0 amd64");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(listed.out().lines()).hasSize(2).anyMatch(l -> l.startsWith("hello") && l.contains("1.1"))
                .anyMatch(l -> l.startsWith("world"));
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(repo.resolve("dists/stable/InRelease")).exists();

        Path packages = repo.resolve("dists/stable/main/binary-amd64/Packages").toRealPath();
        Files.writeString(packages, Files.readString(packages).replace("world", "w0rld"));
        CliTest.Result tampered = CliTest.run("repo", "verify", "--dir", repo.toString());
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err()).contains("binary-amd64/Packages");
    }

    @Test
    void aYumRepositoryIsSignedAndItsSignatureChecked() throws Exception {
        Path repo = tmp.resolve("yum");
        CliTest.Result added = CliTest.run("repo", "add", "--dir", repo.toString(), "--key", KEY.toString(), "--keep", "1",
                rpm("hello", "1.0").toString(), rpm("hello", "1.1").toString());
        CliTest.Result listed = CliTest.run("repo", "list", "--dir", repo.toString(), "--json");
        CliTest.Result verified = CliTest.run("repo", "verify", "--dir", repo.toString(), "--public-key", PUBLIC_KEY.toString());

        assertThat(added.code()).as(added.err()).isZero();
        assertThat(listed.out()).contains("\"version\" : \"1.1-1\"").doesNotContain("1.0-1");
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(repo.resolve("repodata/repomd.xml.asc")).exists();
    }

    @Test
    void badRequestsExitWithTwoAndChangeNothing() throws Exception {
        Path repo = tmp.resolve("mixed");
        CliTest.Result mixed = CliTest.run("repo", "add", "--dir", repo.toString(), deb("hello", "1.0").toString(),
                rpm("hello", "1.0").toString());
        CliTest.Result nowhere = CliTest.run("repo", "list");
        CliTest.Result wrongKind = CliTest.run("repo", "add", "--dir", repo.toString(), "--type", "yum", deb("hello", "1.0").toString());

        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.err()).contains("one kind per repository");
        assertThat(nowhere.code()).isEqualTo(2);
        assertThat(nowhere.err()).contains("--dir DIR or --repository ID");
        assertThat(wrongKind.code()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("it takes .rpm files, not .deb");
        assertThat(repo).doesNotExist();
    }

    @Test
    void aSourceDateEpochBeyondAnyTimeIsNoTimeNotAnInternalError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pool = java.nio.file.Files.createDirectories(dir.resolve("apt/pool/main"));
        dev.cutter.pkg.deb.SampleDebs.write(pool, "tool", "1.0", "amd64");
        java.time.Instant now = java.time.Instant.parse("2026-12-08T04:00:00Z");
        var services = new dev.cutter.app.Services(java.util.Map.of("SOURCE_DATE_EPOCH", "99999999999999999999999"),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC), dir);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();

        int code = Cutter.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), services)
                .execute("repo", "index", "--dir", dir.resolve("apt").toString(), "--type", "apt");

        assertThat(code).as(err.toString()).isZero();
        assertThat(dir.resolve("apt/dists/stable/Release")).content().contains("Date: Tue, 08 Dec 2026 04:00:00 UTC");
    }
}
