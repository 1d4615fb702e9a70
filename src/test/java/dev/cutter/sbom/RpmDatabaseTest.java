package dev.cutter.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpm's own SQLite database, written by the real rpm (rpmbuild, then rpm -i --justdb), read back. */
class RpmDatabaseTest {
    @Test
    void readsThePackagesRpmInstalled(@TempDir Path tmp) throws Exception {
        Tools.require("rpmbuild", "rpm");
        Tools.require("rpm", "rpm");
        Path top = tmp.resolve("build");
        Files.createDirectories(top.resolve("SPECS"));
        Files.writeString(top.resolve("SPECS/hello.spec"), """
                Name: hello-sbom
                Version: 1.4
                Release: 3
                Epoch: 2
                Summary: a test package
                License: MIT
                BuildArch: noarch
                %description
                a test package
                %files
                """);
        run(tmp, "rpmbuild", "-bb", "--define", "_topdir " + top, top.resolve("SPECS/hello.spec").toString());
        Path rpm;
        try (var found = Files.walk(top.resolve("RPMS"))) {
            rpm = found.filter(p -> p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
        Path db = tmp.resolve("db");
        run(tmp, "rpm", "--dbpath", db.toString(), "--initdb");
        run(tmp, "rpm", "--dbpath", db.toString(), "-i", "--justdb", "--nodeps", rpm.toString());

        List<OsPackage> packages = PackageDatabases.read("var/lib/rpm/rpmdb.sqlite", Files.readAllBytes(db.resolve("rpmdb.sqlite")));

        assertThat(packages).extracting(p -> p.name() + " " + p.version() + " " + p.architecture().orElse("") + " "
                + p.license().orElse("")).containsExactly("hello-sbom 2:1.4-3 noarch MIT");
        assertThat(packages.get(0).purl(java.util.Optional.of("fedora"))).isEqualTo("pkg:rpm/fedora/hello-sbom@2:1.4-3?arch=noarch");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
