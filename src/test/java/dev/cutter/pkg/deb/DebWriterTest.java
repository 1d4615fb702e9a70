package dev.cutter.pkg.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebWriterTest {
    @TempDir
    Path tmp;

    @Test
    void sameInputsGiveTheSameBytes() throws IOException {
        for (DebWriter.Compression c : DebWriter.Compression.values()) {
            PackageMetadata metadata = SampleDebs.metadata(tmp.resolve("src"), "hello", "1.2.0~rc1", "amd64");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            new DebWriter(c, c).write(metadata, first);
            Path second = tmp.resolve("second-" + c + ".deb");
            new DebWriter(c, c).write(SampleDebs.metadata(tmp.resolve("src2"), "hello", "1.2.0~rc1", "amd64"), second, TestStaging.in(tmp));
            assertThat(Files.readAllBytes(second)).as(c.name()).isEqualTo(first.toByteArray());
        }
    }

    @Test
    void dpkgDebShowsTheControlFields() {
        Tools.require("dpkg-deb", "dpkg");
        Path deb = SampleDebs.write(tmp, "hello", "1.2.0~rc1", "amd64");
        assertThat(deb.getFileName()).hasToString("hello_1.2.0~rc1_amd64.deb");
        String info = Run.run(List.of("dpkg-deb", "--info", deb.toString())).ok().out();
        assertThat(info).contains(
                " Package: hello\n",
                " Version: 1.2.0~rc1\n",
                " Architecture: amd64\n",
                " Maintainer: Cutter Tests <tests@example.org>\n",
                " Installed-Size: 11\n",
                " Depends: libc6 (>= 2.31), adduser | passwd\n",
                " Provides: hello-tool\n",
                " Section: utils\n",
                " Priority: optional\n",
                " Homepage: https://example.org/hello\n",
                " Description: the hello test tool\n  Prints its name.\n  .\n  Built by Cutter's tests:\n"
                        + "    an indented line stays verbatim.\n");
        assertThat(info).containsPattern("\\d+ bytes, +\\d+ lines +\\* +postinst +#!/bin/sh")
                .containsPattern("conffiles").containsPattern("md5sums");
        assertThat(Run.run(List.of("dpkg-deb", "--field", deb.toString(), "Package", "Version")).ok().out())
                .isEqualTo("Package: hello\nVersion: 1.2.0~rc1\n");
    }

    @Test
    void dataIsSortedOwnedByRootWithParentsAndKeepsModes() {
        Tools.require("dpkg-deb", "dpkg");
        Path deb = SampleDebs.write(tmp, "hello", "1.0", "arm64");
        List<String> contents = Run.run(List.of("dpkg-deb", "--contents", deb.toString())).ok().out().lines()
                .map(line -> line.replaceAll(" +", " ")).toList();
        assertThat(contents).containsExactly(
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./etc/",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./etc/hello/",
                "-rw-r--r-- root/root 17 2025-01-02 03:04 ./etc/hello/hello.conf",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./usr/",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./usr/bin/",
                "-rwxr-xr-x root/root 25 2025-01-02 03:04 ./usr/bin/hello",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./usr/share/",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./usr/share/doc/",
                "drwxr-xr-x root/root 0 2025-01-02 03:04 ./usr/share/doc/hello/",
                "-rw-r--r-- root/root 1280 2025-01-02 03:04 ./usr/share/doc/hello/README");
    }

    @Test
    void dpkgExtractsTheFilesAndTheirMd5sumsMatch() throws IOException {
        Tools.require("dpkg-deb", "dpkg");
        for (DebWriter.Compression c : DebWriter.Compression.values()) {
            PackageMetadata metadata = SampleDebs.metadata(tmp.resolve("src"), "hello", "2:3.4-5", "all");
            Path deb = tmp.resolve(c + ".deb");
            new DebWriter(c, c).write(metadata, deb, TestStaging.in(tmp));
            Path root = tmp.resolve("root-" + c);
            Path control = tmp.resolve("control-" + c);
            Run.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).ok();
            Run.run(List.of("dpkg-deb", "-e", deb.toString(), control.toString())).ok();
            for (PackageFile file : metadata.files()) {
                assertThat(root.resolve(file.path().substring(1))).hasSameBinaryContentAs(file.source());
            }
            assertThat(Files.readString(control.resolve("conffiles"))).isEqualTo("/etc/hello/hello.conf\n");
            assertThat(Files.isExecutable(control.resolve("postinst"))).isTrue();
            assertThat(Files.readString(control.resolve("control"))).contains("Version: 2:3.4-5\n");
            Run.run(List.of("md5sum", "--check", "--strict", control.resolve("md5sums").toString()), Map.of(), root).ok();
            assertThat(Run.run(List.of("dpkg-deb", "--info", deb.toString())).ok().out())
                    .contains("control archive", "Architecture: all");
        }
    }

    @Test
    void reportsMissingSourcesAndBadNames() {
        PackageMetadata good = SampleDebs.metadata(tmp.resolve("src"), "hello", "1.0", "amd64");
        PackageMetadata missing = new PackageMetadata("hello", "1.0", "", "amd64", "s", "d", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/bin/hello", tmp.resolve("nope"), 0755, false)), Map.of(), good.sourceDate());
        assertThatThrownBy(() -> new DebWriter().write(missing, tmp.resolve("x.deb"), TestStaging.in(tmp)))
                .hasMessageContaining("/usr/bin/hello").hasMessageContaining("does not exist");
        PackageMetadata badName = new PackageMetadata("Hello_World", "1.0", "", "amd64", "s", "d", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(), Map.of(), good.sourceDate());
        assertThatThrownBy(() -> new DebWriter().write(badName, tmp.resolve("y.deb"), TestStaging.in(tmp)))
                .hasMessageContaining("'Hello_World' is not a Debian package name");
        PackageMetadata twice = new PackageMetadata("hello", "1.0", "", "amd64", "s", "d", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                List.of(good.files().get(0), good.files().get(0)), Map.of(), good.sourceDate());
        assertThatThrownBy(() -> new DebWriter().write(twice, tmp.resolve("z.deb"), TestStaging.in(tmp))).hasMessageContaining("listed twice");
        assertThat(tmp.resolve("x.deb")).doesNotExist();
    }
}
