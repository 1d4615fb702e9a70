package dev.cutter.kinds.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.kinds.Capabilities;
import dev.cutter.spec.SpecError;
import dev.cutter.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Dockerfile build's faults are told by {@code validate}, with file:line:column, before any builder runs. */
class DockerfileSpecTest {
    @TempDir
    Path project;

    private List<SpecError> errors(String images) throws Exception {
        Path file = project.resolve("cutter.yaml");
        String yaml = """
                project: app
                registries:
                  r: { url: "127.0.0.1:5000" }
                images:
                """ + images;
        Files.writeString(file, yaml);
        try {
            Capabilities.specLoader().load(file, yaml);
        } catch (SpecException e) {
            return e.errors();
        }
        return List.of();
    }

    @Test
    void aDockerfileThatDoesNotExistIsToldWhereItIsNamed() throws Exception {
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: docker/Dockerfile
                    push: r/acme/app
                    tags: ["{version}"]
                """)).extracting(e -> e.location().line(), e -> e.location().column(), SpecError::path, SpecError::message)
                .containsExactly(tuple(7, 17, "images[0].dockerfile", "the Dockerfile 'docker/Dockerfile' does not exist"));
    }

    @Test
    void aBuildArgTheDockerfileDoesNotDeclareIsUnknown() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), """
                # syntax=docker/dockerfile:1
                ARG BASE=scratch
                FROM ${BASE}
                ARG GREETING \\
                    =hello
                COPY hello.txt /hello.txt
                """);
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    args: { GREETING: hi, GREETNG: "{version}", HTTP_PROXY: "http://proxy" }
                    push: r/acme/app
                    tags: ["{version}"]
                """)).extracting(e -> e.location().line(), e -> e.location().column(), SpecError::path, SpecError::message)
                .containsExactly(tuple(8, 37, "images[0].args.GREETNG",
                        "unknown build arg 'GREETNG': Dockerfile declares no ARG GREETNG (it declares BASE, GREETING)"));
    }

    @Test
    void aContextOutsideTheProjectIsRefused() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        List<SpecError> errors = errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    context: ../elsewhere
                    push: r/acme/app
                    tags: ["{version}"]
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.location().line()).isEqualTo(8);
            assertThat(e.location().column()).isEqualTo(14);
            assertThat(e.path()).isEqualTo("images[0].context");
            assertThat(e.message()).contains("..");
        });
    }

    @Test
    void aContextThatIsNotADirectoryIsTold() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    context: "ctx/{platform.arch}"
                    push: r/acme/app
                    tags: ["{version}"]
                """)).extracting(SpecError::path, SpecError::message)
                .containsExactly(tuple("images[0].context", "the build context 'ctx/amd64' is not a directory of the project"));
    }

    @Test
    void aContextABuildMakesNeedNotExistBeforeTheRelease() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY app /app\n");
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64, linux/arm64]
                    dockerfile: Dockerfile
                    context: "dist/{platform.arch}"
                    push: r/acme/app
                    tags: ["{version}"]
                builds:
                  - id: binary
                    platforms: [linux/amd64, linux/arm64]
                    run: mkdir -p dist/{platform.arch} && echo app > dist/{platform.arch}/app
                    outputs: [ "dist/{platform.arch}/app" ]
                """)).isEmpty();
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    context: "dist/{platform.arch}"
                    push: r/acme/app
                    tags: ["{version}"]
                builds:
                  - id: binary
                    platforms: [linux/arm64]
                    run: mkdir -p dist/{platform.arch} && echo app > dist/{platform.arch}/app
                    outputs: [ "dist/{platform.arch}/app" ]
                """)).as("no build makes dist/amd64").extracting(SpecError::message)
                .containsExactly("the build context 'dist/amd64' is not a directory of the project");
    }

    @Test
    void assemblyKeysDoNotGoWithADockerfileAndBuildKeysNeedOne() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    entrypoint: [/app]
                    push: r/acme/app
                    tags: ["{version}"]
                  - id: other
                    platforms: [linux/amd64]
                    target: runtime
                    push: r/acme/other
                    tags: ["{version}"]
                """)).extracting(e -> e.location().line(), SpecError::path).containsExactly(tuple(8, "images[0].entrypoint"),
                tuple(13, "images[1].target"));
    }

    @Test
    void anUnknownPlaceholderInABuildArgIsToldAtLoad() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "ARG V\nFROM scratch\n");
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    args: { V: "{verison}" }
                    push: r/acme/app
                    tags: ["{version}"]
                """)).extracting(SpecError::path, SpecError::message)
                .containsExactly(tuple("images[0].args.V", "unknown placeholder {verison}; did you mean {version}?"));
    }

    @Test
    void aValidDockerfileBuildLoads() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "ARG V\nFROM scratch\n");
        Files.createDirectories(project.resolve("ctx"));
        assertThat(errors("""
                  - id: app
                    platforms: [linux/amd64, linux/arm64]
                    dockerfile: Dockerfile
                    context: ctx
                    target: final
                    builder: buildah
                    args: { V: "{version}-{platform.arch}" }
                    labels: { org.opencontainers.image.version: "{version}" }
                    push: r/acme/app
                    tags: ["{version}"]
                """)).isEmpty();
    }

    @Test
    void validateExitsTwoNamingTheMissingDockerfileByFileLineAndColumn() throws Exception {
        Path file = project.resolve("cutter.yaml");
        Files.writeString(file, """
                project: app
                registries:
                  r: { url: "127.0.0.1:5000" }
                images:
                  - id: app
                    platforms: [linux/arm64]
                    dockerfile: "docker/{platform.arch}.Dockerfile"
                    push: r/acme/app
                    tags: ["{version}"]
                """);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.cutter.cli.Cutter.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))
                .execute("validate", "-f", file.toString());
        assertThat(code).as(out + "" + err).isEqualTo(2);
        assertThat(err.toString()).contains("cutter.yaml:7:18: images[0].dockerfile: the Dockerfile 'docker/arm64.Dockerfile'"
                + " does not exist");
    }
}
