package dev.cutter.pkg.rpm;

import static dev.cutter.pkg.rpm.RpmSamples.ok;
import static dev.cutter.pkg.rpm.RpmSamples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RpmWriterTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        Tools.require("rpm", "rpm");
        Tools.require("rpmkeys", "rpm");
        Tools.require("rpm2cpio", "rpm2cpio");
    }

    @Test
    void rpmReadsTheMetadata() throws IOException {
        Path rpm = new RpmWriter().write(RpmSamples.full(dir.resolve("src"), "hello", "1.2.0~rc1"), dir, TestStaging.in(dir));

        assertThat(rpm.getFileName().toString()).isEqualTo("hello-1.2.0~rc1-1.x86_64.rpm");
        String info = ok("rpm", "-qpi", rpm.toString());
        assertThat(info).contains("Name        : hello", "Version     : 1.2.0~rc1", "Release     : 1",
                "Architecture: x86_64", "License     : MIT", "Group       : Applications/System",
                "Source RPM  : hello-1.2.0~rc1-1.src.rpm", "Build Host  : cutter", "Packager    : Example <dev@example.org>",
                "URL         : https://example.org/hello", "Summary     : The hello tool",
                "Does hello things.\nOn two lines & <escaped>.", "Size        : 9041",
                "Build Date  : Sat Jun  1 12:00:00 2030");
        assertThat(RpmSamples.lines(ok("rpm", "-qpl", rpm.toString())))
                .containsExactly("/etc/hello/hello.conf", "/usr/bin/hello", "/usr/share/doc/hello/README");
        assertThat(RpmSamples.lines(ok("rpm", "-qpc", rpm.toString()))).containsExactly("/etc/hello/hello.conf");
        assertThat(ok("rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} "
                + "%{FILEFLAGS:fflags} %{FILEMTIMES} %{FILEDIGESTS}\n]", rpm.toString()))
                .contains("/etc/hello/hello.conf -rw-r--r-- root:root cn 1906545600 ")
                .contains("/usr/bin/hello -rwxr-xr-x root:root  1906545600 ");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--requires", rpm.toString()))).containsExactly(
                "(curl or wget)", "/bin/sh", "/bin/sh", "/bin/sh", "/bin/sh", "glibc", "openssl-libs >= 3.0",
                "rpmlib(CompressedFileNames) <= 3.0.4-1", "rpmlib(FileDigests) <= 4.6.0-1",
                "rpmlib(PayloadFilesHavePrefix) <= 4.0-1", "rpmlib(RichDependencies) <= 4.12.0-1");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--provides", rpm.toString()))).containsExactly(
                "hello = 1.2.0~rc1-1", "hello(x86-64) = 1.2.0~rc1-1", "hello-cli = 1.2.0~rc1");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--conflicts", rpm.toString())))
                .containsExactly("broken-plugin <= 1.1", "oldhello < 2.0");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--obsoletes", rpm.toString())))
                .containsExactly("hello-legacy < 1.0");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--recommends", rpm.toString()))).containsExactly("bash-completion");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--suggests", rpm.toString()))).containsExactly("man-db");
        assertThat(ok("rpm", "-qp", "--scripts", rpm.toString())).isEqualTo("""
                preinstall scriptlet (using /bin/sh):
                echo pre-install $1
                postinstall scriptlet (using /bin/sh):
                echo post-install $1
                preuninstall scriptlet (using /bin/sh):
                echo pre-remove $1
                postuninstall scriptlet (using /bin/sh):
                echo post-remove $1
                """);
    }

    @ParameterizedTest
    @EnumSource(PayloadCompression.class)
    void rpmChecksTheDigestsAndInstallsTheFiles(PayloadCompression compression) throws IOException {
        Path rpm = new RpmWriter(compression, Optional.empty()).write(RpmSamples.full(dir.resolve("src"), "hello", "2.0"), dir, TestStaging.in(dir));

        String check = ok("rpm", "-Kv", rpm.toString());
        assertThat(check).contains("Header SHA256 digest: OK", "Header SHA1 digest: OK", "Payload SHA256 digest: OK",
                "MD5 digest: OK").doesNotContain("BAD").doesNotContain("NOT OK");
        assertThat(ok("rpm", "-qp", "--qf", "%{PAYLOADCOMPRESSOR}", rpm.toString())).isEqualTo(compression.compressor);

        Path root = dir.resolve("root");
        ok("rpm", "-i", "--root", root.toString(), "--dbpath", dir.resolve("db").toAbsolutePath().toString(),
                "--nodeps", "--noscripts", rpm.toString());
        assertThat(root.resolve("usr/bin/hello")).hasContent("#!/bin/sh\necho hello 2.0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/hello"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("etc/hello/hello.conf")).hasContent("level = 3");
        assertThat(Files.size(root.resolve("usr/share/doc/hello/README"))).isEqualTo(9000);
        assertThat(Files.getLastModifiedTime(root.resolve("usr/bin/hello")).toInstant()).isEqualTo(RpmSamples.SOURCE_DATE);
        String verify = run("rpm", "-V", "--nodeps", "--root", root.toString(), "--dbpath",
                dir.resolve("db").toAbsolutePath().toString(), "hello").output();
        assertThat(verify).as("rpm -V finds the installed files as packaged").isEmpty();
    }

    @Test
    void thePayloadIsANewcArchiveOfDotSlashPathsInOrder() throws IOException {
        Path rpm = new RpmWriter().write(RpmSamples.full(dir.resolve("src"), "hello", "2.0"), dir, TestStaging.in(dir));
        Path cpio = dir.resolve("payload.cpio");
        Process p = new ProcessBuilder("rpm2cpio", rpm.toString()).redirectOutput(cpio.toFile()).start();
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<String> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(cpio); CpioArchiveInputStream archive = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry e; (e = archive.getNextCPIOEntry()) != null; ) {
                assertThat(e.getFormat()).isEqualTo(CpioArchiveEntry.FORMAT_NEW);
                entries.add(e.getName() + " " + Long.toOctalString(e.getMode()) + " " + e.getUID() + ":" + e.getGID()
                        + " " + e.getTime() + " ino=" + e.getInode());
            }
        }
        assertThat(entries).containsExactly(
                "./etc/hello/hello.conf 100644 0:0 1906545600 ino=1",
                "./usr/bin/hello 100755 0:0 1906545600 ino=2",
                "./usr/share/doc/hello/README 100644 0:0 1906545600 ino=3");
    }

    @ParameterizedTest
    @EnumSource(PayloadCompression.class)
    void sameInputsGiveTheSameBytes(PayloadCompression compression) throws IOException {
        PackageMetadata metadata = RpmSamples.full(dir.resolve("src"), "hello", "2.0");
        RpmWriter writer = new RpmWriter(compression, Optional.of(new RpmSigner(RpmSamples.releaseKey(),
                Clock.fixed(RpmSamples.SOURCE_DATE, ZoneOffset.UTC))));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        writer.write(metadata, first);
        PackageMetadata copied = RpmSamples.full(dir.resolve("elsewhere"), "hello", "2.0");
        writer.write(copied, second);

        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void aSignedPackageVerifiesWithTheImportedKeyOnly() throws IOException {
        RpmWriter writer = new RpmWriter(PayloadCompression.XZ, Optional.of(new RpmSigner(RpmSamples.releaseKey(),
                Clock.fixed(RpmSamples.SOURCE_DATE, ZoneOffset.UTC))));
        Path rpm = writer.write(RpmSamples.full(dir.resolve("src"), "hello", "2.0"), dir, TestStaging.in(dir));
        String db = dir.resolve("db").toAbsolutePath().toString();
        Files.createDirectories(Path.of(db));

        String unknown = run("rpmkeys", "--dbpath", db, "-Kv", rpm.toString()).output();
        assertThat(unknown).contains("Header V4 EdDSA/SHA256 Signature, key ID 1c2262cb: NOKEY");

        ok("rpmkeys", "--dbpath", db, "--import", RpmSamples.PUBLIC_KEY.toAbsolutePath().toString());
        String checked = ok("rpmkeys", "--dbpath", db, "-Kv", rpm.toString());
        assertThat(checked).contains("Header V4 EdDSA/SHA256 Signature, key ID 1c2262cb: OK",
                "Header SHA256 digest: OK", "Payload SHA256 digest: OK");
        assertThat(ok("rpmkeys", "--dbpath", db, "-K", rpm.toString())).endsWith("digests signatures OK\n");

        byte[] bytes = Files.readAllBytes(rpm);
        int at = indexOf(bytes, "The hello tool".getBytes());
        bytes[at] = 't';
        Path tampered = Files.write(dir.resolve("tampered.rpm"), bytes);
        RpmSamples.Result bad = run("rpmkeys", "--dbpath", db, "-Kv", tampered.toString());
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("BAD");
    }

    @Test
    void aPackageWithoutFilesOrScriptsIsValid() throws IOException {
        PackageMetadata meta = new PackageMetadata("empty", "1", "1", "noarch", "Nothing", "", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), List.of(), Map.of(),
                RpmSamples.SOURCE_DATE);
        Path rpm = new RpmWriter().write(meta, dir, TestStaging.in(dir));

        assertThat(ok("rpm", "-Kv", rpm.toString())).contains("Header SHA256 digest: OK").doesNotContain("BAD");
        assertThat(run("rpm", "-qpl", rpm.toString()).output()).contains("(contains no files)");
        assertThat(RpmSamples.lines(ok("rpm", "-qp", "--provides", rpm.toString()))).containsExactly("empty = 1-1");
    }

    @Test
    void invalidNamesAndVersionsAreRefusedWithTheReason() throws IOException {
        Path src = RpmSamples.write(dir.resolve("f"), "x");
        PackageMetadata badVersion = new PackageMetadata("tool", "1.0-beta", "1", "x86_64", "s", "d",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                List.of(new PackageFile("/usr/bin/tool", src, 0755, false)), Map.of(), RpmSamples.SOURCE_DATE);
        assertThatThrownBy(() -> new RpmWriter().write(badVersion, dir, TestStaging.in(dir)))
                .hasMessageContaining("package tool: version '1.0-beta' is not an RPM version");
        PackageMetadata badRelation = new PackageMetadata("tool", "1.0", "1", "x86_64", "s", "d",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("depends", List.of("libc6:any")), List.of(), Map.of(), RpmSamples.SOURCE_DATE);
        assertThatThrownBy(() -> new RpmWriter().write(badRelation, dir, TestStaging.in(dir)))
                .hasMessageContaining("depends \"libc6:any\" has a Debian architecture qualifier");
        assertThat(dir.resolve("tool-1.0-beta-1.x86_64.rpm")).doesNotExist();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
