package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter init}: a starter spec from what a project holds, which {@code cutter validate} passes; never over an existing spec. */
class InitCommandTest {
    @TempDir
    Path dir;

    private void executable(String path) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aGoProjectWithADockerfileBinariesAndDebianGetsAnImageATarballAPackageAndChecksumsThatValidate() throws Exception {
        Path project = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(project.resolve("go.mod"), "module github.com/acme/widget/v2\n\ngo 1.22\n");
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY dist/linux-amd64/widget /widget\n");
        dir = project;
        executable("dist/linux-amd64/widget");
        executable("dist/linux-arm64/widget");
        Files.writeString(dir.resolve("dist/notes.txt"), "not a program");
        Files.createDirectories(dir.resolve("debian"));
        Files.writeString(dir.resolve("debian/control"), "Source: widget\nMaintainer: Jo \"JJ\" Doe <jo@example.com>\n\n"
                + "Package: widget-cli\nArchitecture: any\nDescription: widgets {fast} and \"quoted\"\n more text\n");
        Path spec = dir.resolve("cutter.yaml");

        CliTest.Result init = CliTest.run("init", "-f", spec.toString(), "--json");

        assertThat(init.code()).as(init.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(init.out());
        assertThat(out.path("project").asText()).isEqualTo("widget");
        assertThat(out.path("found").toString()).contains("go.mod", "Dockerfile", "dist/", "debian/");
        String text = Files.readString(spec);
        assertThat(text).contains("project: \"widget\"", "dockerfile: Dockerfile", "push: \"local/widget\"",
                "- \"dist/linux-amd64/widget\"", "- \"dist/linux-arm64/widget\"", "- id: \"widget-cli\"", "checksums: true")
                .doesNotContain("notes.txt");
        CliTest.Result validated = CliTest.run("validate", "-f", spec.toString(), "--json");
        assertThat(validated.code()).as(validated.err() + "\n" + text).isZero();
        JsonNode counts = new ObjectMapper().readTree(validated.out());
        assertThat(counts.path("images").asInt()).isEqualTo(1);
        assertThat(counts.path("archives").asInt()).isEqualTo(1);
        assertThat(counts.path("packages").asInt()).isEqualTo(1);
        // the package's text is data: its braces and quotes come back as written
        var loaded = dev.cutter.kinds.Capabilities.specLoader().load(spec);
        var pkg = dev.cutter.kinds.packages.PackageSection.SECTION.of(loaded).getFirst();
        // the description as written, braces doubled: it renders as {fast}
        assertThat(pkg.toString()).contains("description=widgets {{fast}} and \"quoted\"").contains("Jo \"JJ\" Doe <jo@example.com>");
        assertThat(text).contains("platforms: [linux/amd64, linux/arm64]", "\"/usr/bin/widget\": \"dist/{platform.os}-{platform.arch}/widget\"");
    }

    @Test
    void aValueThatWouldReadAsASecretReferenceIsNotTaken() throws Exception {
        Files.createDirectories(dir.resolve("debian"));
        Files.writeString(dir.resolve("debian/control"), "Source: x\nMaintainer: ${env:HOME}\n\nPackage: x\nDescription: ${file:/etc/shadow}\n");
        Path spec = dir.resolve("cutter.yaml");

        CliTest.Result init = CliTest.run("init", "-f", spec.toString());
        assertThat(init.code()).as(init.err()).isZero();

        assertThat(Files.readString(spec)).doesNotContain("${").contains("#     maintainer: \"Maintainer <maintainer@example.com>\"")
                .contains("#   - id: \"x-pkg\"");
        assertThat(CliTest.run("validate", "-f", spec.toString()).code()).isZero();
    }

    @Test
    void anEmptyDirectoryGetsAProjectNamedAfterItThatValidates() throws Exception {
        Path project = Files.createDirectories(dir.resolve("My App!"));
        Path spec = project.resolve("cutter.yaml");

        CliTest.Result init = CliTest.run("init", "-f", spec.toString());

        assertThat(init.code()).as(init.err()).isZero();
        assertThat(init.out()).contains("wrote " + spec + " for project My-App");
        assertThat(CliTest.run("validate", "-f", spec.toString()).code()).isZero();
    }

    @Test
    void anExistingSpecIsNeverOverwritten() throws Exception {
        Path spec = dir.resolve("cutter.yaml");
        Files.writeString(spec, "project: mine\n");

        CliTest.Result init = CliTest.run("init", "-f", spec.toString(), "--json");

        assertThat(init.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(init.err()).contains(spec + " exists; cutter init writes a new spec only");
        assertThat(new ObjectMapper().readTree(init.out()).path("error").path("code").asInt()).isEqualTo(2);
        assertThat(Files.readString(spec)).isEqualTo("project: mine\n");
    }
}
