package dev.cutter.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Cutter reads of a Dockerfile, and whether this machine runs a platform's programs. */
class DockerfileTest {
    @Test
    void readsArgsBasesAndRunStepsAcrossContinuationsCommentsAndCase() {
        Dockerfile d = Dockerfile.parse("""
                # escape=`
                ARG BASE=debian
                from ${BASE} AS build
                # a comment
                run apt-get update `
                  # inside
                  && true
                arg VERSION
                FROM --platform=$BUILDPLATFORM build
                FROM 127.0.0.1:5000/base/tiny:1 as final
                ARG A=1 B
                COPY --from=build /x /x
                """);
        assertThat(d.args()).containsOnlyKeys("BASE", "VERSION", "A", "B");
        assertThat(d.args().get("VERSION")).isEqualTo(8);
        assertThat(d.bases()).containsExactly("${BASE}", "127.0.0.1:5000/base/tiny:1");
        assertThat(d.runs()).isTrue();
        assertThat(d.accepts("https_proxy")).isTrue();
        assertThat(d.accepts("VERSON")).isFalse();
    }

    @Test
    void basesAreResolvedThroughGivenArgsThenGlobalDefaultsAndLeftOutWhenUnknown() {
        Dockerfile d = Dockerfile.parse("""
                ARG REGISTRY=127.0.0.1:5000
                ARG TAG="1.2"
                ARG LATE
                FROM $REGISTRY/base/a:${TAG} AS a
                ARG LOCAL=ignored.example/x
                FROM ${LATE}
                FROM ${LOCAL}
                FROM a
                FROM docker.io/library/busybox:1
                """);
        assertThat(d.defaults()).containsOnly(java.util.Map.entry("REGISTRY", "127.0.0.1:5000"), java.util.Map.entry("TAG", "1.2"));
        assertThat(d.bases(java.util.Map.of())).as("LATE has no value; LOCAL is not in scope of FROM")
                .containsExactly("127.0.0.1:5000/base/a:1.2", "docker.io/library/busybox:1");
        assertThat(d.bases(java.util.Map.of("TAG", "2", "LATE", "reg.example/late:3")))
                .containsExactly("127.0.0.1:5000/base/a:2", "reg.example/late:3", "docker.io/library/busybox:1");
    }

    @Test
    void aCopyOnlyDockerfileHasNoRunSteps() {
        assertThat(Dockerfile.parse("FROM scratch\nCOPY a /a\n# RUN nothing\nLABEL x=\"RUN y\"\n").runs()).isFalse();
    }

    @Test
    void aPlatformRunsNativelyOrThroughARegisteredQemu(@TempDir Path binfmt) throws Exception {
        Emulation amd64 = new Emulation(binfmt, "amd64");
        assertThat(amd64.problem("linux", "amd64")).isEmpty();
        assertThat(amd64.problem("linux", "386")).isEmpty();
        assertThat(amd64.problem("linux", "arm64")).get().asString().contains("no qemu-aarch64").contains("qemu-user-static");
        Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n");
        assertThat(amd64.problem("linux", "arm64")).isEmpty();
        Files.writeString(binfmt.resolve("qemu-riscv64"), "disabled\n");
        assertThat(amd64.problem("linux", "riscv64")).isPresent();
        assertThat(amd64.problem("windows", "amd64")).isPresent();
    }
}
