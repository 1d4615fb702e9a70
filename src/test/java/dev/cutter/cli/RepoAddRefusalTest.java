package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.TestStaging;
import dev.cutter.content.TreeSnapshot;
import dev.cutter.pkg.HostilePackages;
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

/**
 * {@code cutter repo add} given a package an attacker made, or a changed build of a published
 * version: a one-line refusal with its exit code, and the repository exactly as it was.
 */
@org.junit.jupiter.api.Tag("security")
class RepoAddRefusalTest {
    @TempDir
    Path tmp;

    PackageMetadata metadata(String name, String version, String arch, String release, String content) throws Exception {
        Path file = Files.writeString(tmp.resolve(name + "-" + version + "-" + content.hashCode() + ".txt"), content);
        return new PackageMetadata(name, version, release, arch, "The " + name + " tool", "The " + name + " tool.",
                Optional.of("Cutter Tests <tests@cutter.invalid>"), Optional.empty(), Optional.of("MIT"), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/share/" + name + "/README", file, 0644, false)), Map.of(),
                Instant.parse("2026-01-02T03:04:05Z"));
    }

    Path deb(String name, String version, String content) throws Exception {
        PackageMetadata m = metadata(name, version, "amd64", "", content);
        Path target = Files.createDirectories(tmp.resolve("debs-" + content.hashCode())).resolve(DebWriter.fileName(m));
        new DebWriter().write(m, target, TestStaging.in(tmp));
        return target;
    }

    Path rpm(String name, String version, String content) throws Exception {
        return new RpmWriter().write(metadata(name, version, "x86_64", "1", content),
                Files.createDirectories(tmp.resolve("rpms-" + content.hashCode())), TestStaging.in(tmp));
    }

    /** A repository with one good package, and the scratch directory's top level, before the attack. */
    Path published(String type, Path good) {
        Path repo = tmp.resolve("work/deep/down/repo");
        CliTest.Result added = CliTest.run("repo", "add", "--dir", repo.toString(), "--type", type, good.toString());
        assertThat(added.code()).as(added.err()).isZero();
        return repo;
    }

    /**
     * An apt repository that would hold no architecture-specific package (empty, or only
     * {@code Architecture: all}) gives no binary-&lt;arch&gt; index to write: a clear refusal, as
     * aptly's "unable to figure out list of architectures", not an internal error, and nothing
     * written.
     */
    @Test
    void anAptRepositoryWithNoArchitectureToPublishIsRefusedClearlyAndLeftAsItWas() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        CliTest.Result indexed = CliTest.run("repo", "index", "--dir", empty.toString(), "--type", "apt");

        assertThat(indexed.code()).as(indexed.out() + indexed.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(indexed.err()).contains("no architecture-specific package").doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(empty.resolve("dists/stable")).doesNotExist();

        PackageMetadata all = metadata("docs", "1.0", "all", "", "docs\n");
        Path deb = Files.createDirectories(tmp.resolve("all")).resolve(DebWriter.fileName(all));
        new DebWriter().write(all, deb, TestStaging.in(tmp));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Map<String, String> beforeAdd = TreeSnapshot.of(tmp);

        CliTest.Result added = CliTest.run("repo", "add", "--dir", repo.toString(), "--type", "apt", deb.toString());

        assertThat(added.code()).as(added.out() + added.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(added.err()).contains("no architecture-specific package").doesNotContain("internal error");
        // refused before the package was copied or indexed: only the empty skeleton a first open makes
        assertThat(TreeSnapshot.of(tmp).entrySet()).filteredOn(e -> !beforeAdd.containsKey(e.getKey()))
                .allMatch(e -> e.getValue().startsWith("dir ") || e.getKey().equals("repo/.cutter/apt/lock"));
    }

    @Test
    void refusesADebWhosePackageNameLeavesTheRepository() throws Exception {
        Path repo = published("apt", deb("hello", "1.0", "hello\n"));
        Map<String, String> fields = HostilePackages.control("../../../../../../x", "1.0", "amd64");
        fields.put("Source", "evil");
        Path crafted = HostilePackages.deb(tmp.resolve("crafted/x.deb"), fields);
        Map<String, String> before = TreeSnapshot.of(tmp);

        CliTest.Result result = CliTest.run("repo", "add", "--dir", repo.toString(), "--type", "apt", crafted.toString());

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains(crafted + ": control field Package: '../../../../../../x' is not a Debian package name (Policy 5.6.7")
                .doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void refusesADebWhoseSourceLeavesTheRepository() throws Exception {
        Path repo = published("apt", deb("hello", "1.0", "hello\n"));
        Map<String, String> fields = HostilePackages.control("x", "1.0", "amd64");
        fields.put("Package", "xx");
        fields.put("Source", "../../../../../s");
        Path crafted = HostilePackages.deb(tmp.resolve("crafted/s.deb"), fields);
        Map<String, String> before = TreeSnapshot.of(tmp);

        CliTest.Result result = CliTest.run("repo", "add", "--dir", repo.toString(), crafted.toString());

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains(crafted + ": control field Source: '../../../../../s' is not a Debian source package name"
                + " (Policy 5.6.1");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void refusesADebWhoseVersionOrArchitectureLeavesTheRepository() throws Exception {
        Path repo = published("apt", deb("hello", "1.0", "hello\n"));
        Path slashVersion = HostilePackages.deb(tmp.resolve("crafted/v.deb"), HostilePackages.control("xx", "1/../../../../v", "amd64"));
        Path slashArch = HostilePackages.deb(tmp.resolve("crafted/a.deb"), HostilePackages.control("xx", "1.0", "../../../../../a"));
        Map<String, String> before = TreeSnapshot.of(tmp);

        CliTest.Result version = CliTest.run("repo", "add", "--dir", repo.toString(), slashVersion.toString());
        CliTest.Result arch = CliTest.run("repo", "add", "--dir", repo.toString(), slashArch.toString());

        assertThat(version.code()).as(version.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(version.err()).contains(slashVersion + ": control field Version: '1/../../../../v' is not a Debian version");
        assertThat(arch.code()).as(arch.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(arch.err()).contains(slashArch + ": control field Architecture: '../../../../../a' is not a Debian architecture");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void refusesAnRpmWhoseNameLeavesTheRepository() throws Exception {
        Path repo = published("yum", rpm("hello", "1.0", "hello\n"));
        Path crafted = HostilePackages.rpm(tmp.resolve("crafted"), "pppppppppppppppp", "../../../../../x");
        Map<String, String> before = TreeSnapshot.of(tmp);

        CliTest.Result result = CliTest.run("repo", "add", "--dir", repo.toString(), "--type", "yum", crafted.toString());

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains(crafted + ": header NAME: '../../../../../x' is not an RPM package name")
                .doesNotContain("internal error");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(tmp.resolve("x-1.0-1.x86_64.rpm")).doesNotExist();
    }

    @Test
    void refusesAChangedDebOfAPublishedVersionWithExitThree() throws Exception {
        Path repo = published("apt", deb("hello", "1.0", "first build\n"));
        Path rebuilt = deb("hello", "1.0", "second build\n");
        Map<String, String> before = TreeSnapshot.of(repo);

        CliTest.Result result = CliTest.run("repo", "add", "--dir", repo.toString(), rebuilt.toString());

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).contains("hello 1.0 (amd64)", "a published version never changes")
                .doesNotContain("internal error");
        assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
    }

    @Test
    void refusesAChangedRpmOfAPublishedVersionWithExitThree() throws Exception {
        Path repo = published("yum", rpm("hello", "1.0", "first build\n"));
        Path rebuilt = rpm("hello", "1.0", "second build\n");
        Map<String, String> before = TreeSnapshot.of(repo);

        CliTest.Result result = CliTest.run("repo", "add", "--dir", repo.toString(), rebuilt.toString());

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).contains("hello-1.0-1.x86_64", "a published version never changes")
                .doesNotContain("internal error");
        assertThat(TreeSnapshot.of(repo)).isEqualTo(before);
    }

    @Test
    void everyPublishedFileIsReadableByAWebServer() throws Exception {
        Path apt = published("apt", deb("hello", "1.0", "hello\n"));
        Path yum = tmp.resolve("yum");
        CliTest.Result added = CliTest.run("repo", "add", "--dir", yum.toString(), rpm("hello", "1.0", "hello\n").toString());
        assertThat(added.code()).as(added.err()).isZero();

        for (Path repo : List.of(apt, yum)) {
            assertThat(TreeSnapshot.of(repo)).as(repo.toString()).allSatisfy((path, entry) -> {
                if (!entry.startsWith("link")) {
                    assertThat(entry).as(path).matches(entry.startsWith("dir") ? "dir rwxr-xr-x" : "file rw-r--r-- .*");
                }
            });
        }
    }
}
