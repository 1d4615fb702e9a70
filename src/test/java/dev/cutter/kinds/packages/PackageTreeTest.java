package dev.cutter.kinds.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.app.Services;
import dev.cutter.cli.Cutter;
import dev.cutter.testing.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package file that is a directory (a runtime image) is laid in whole, with its modes. */
class PackageTreeTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryIsPackagedFileByFileWithItsModesInDebAndRpm() throws Exception {
        Tools.require("dpkg-deb", "dpkg-dev");
        Tools.require("rpm", "rpm");
        Path runtime = Files.createDirectories(dir.resolve("dist/runtime/bin"));
        Files.writeString(runtime.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(runtime.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("dist/runtime/lib/security"));
        Files.writeString(dir.resolve("dist/runtime/lib/security/cacerts"), "certs");
        Files.createSymbolicLink(dir.resolve("dist/runtime/lib/link"), Path.of("security/cacerts"));
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: app
                packages:
                  - id: app
                    formats: [deb, rpm]
                    maintainer: "A <a@example.org>"
                    platforms: [linux/amd64]
                    files:
                      /usr/lib/app: dist/runtime
                """);

        Result release = release(dir, "release", "--version", "1.0.0", "--sha", "0123456789abcdef0123456789abcdef01234567");

        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        assertThat(run(dir, "dpkg-deb", "-c", "dist/app_1.0.0_amd64.deb")).contains("-rwxr-xr-x root/root", "./usr/lib/app/bin/java")
                .contains("./usr/lib/app/lib/security/cacerts").contains("./usr/lib/app/lib/link");
        assertThat(run(dir, "rpm", "-qlpv", "dist/app-1.0.0-1.x86_64.rpm")).contains("/usr/lib/app/bin/java")
                .containsPattern("-rwxr-xr-x .*/usr/lib/app/bin/java").contains("/usr/lib/app/lib/link");
    }

    @Test
    void aLinkInTheDirectoryLeadingOutsideTheProjectFailsTheJob() throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("project/dist/runtime"));
        Files.writeString(dir.resolve("secret"), "secret");
        Files.createSymbolicLink(runtime.resolve("secret"), dir.resolve("secret"));
        Files.writeString(dir.resolve("project/cutter.yaml"), """
                project: app
                packages:
                  - id: app
                    formats: [deb]
                    maintainer: "A <a@example.org>"
                    platforms: [linux/amd64]
                    files:
                      /usr/lib/app: dist/runtime
                """);

        Result release = release(dir.resolve("project"), "release", "--version", "1.0.0", "--sha",
                "0123456789abcdef0123456789abcdef01234567");

        assertThat(release.exit()).isEqualTo(1);
        assertThat(release.out() + release.err()).contains("dist/runtime/secret, a symbolic link that leads outside the project");
        assertThat(dir.resolve("project/dist/app_1.0.0_amd64.deb")).doesNotExist();
    }

    record Result(int exit, String out, String err) {}

    private static Result release(Path project, String... args) {
        Map<String, String> environment = new HashMap<>(Services.ofThisProcess().environment());
        environment.put("SOURCE_DATE_EPOCH", "1767323045");
        environment.put("CI", "true");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                new Services(environment, java.time.Clock.systemUTC(), project)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
