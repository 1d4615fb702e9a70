package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code git:} route that cannot work is told at validate, with the spec's file:line:column, exit 2. */
class GitRouteInputTest {
    @TempDir
    Path dir;

    private CliTest.Result validate(String git) throws Exception {
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, "project: demo\ngit:\n" + git);
        return CliTest.run("validate", "-f", file.toString());
    }

    @Test
    void theSeedsRouteIsValid() throws Exception {
        CliTest.Result ok = validate("""
                  remote: upstream
                  branch: main
                  via: pull-request
                  forge: github:confidential-containers/cloud-api-adaptor
                  token: "${env:GH_PINS_TOKEN}"
                  merge: wait
                  wait: 2h
                  poll: 30s
                """);
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    }

    @Test
    void aPullRequestWithoutAForgeIsBadInputAtVia() throws Exception {
        CliTest.Result bad = validate("""
                  remote: upstream
                  via: pull-request
                """);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out() + bad.err()).contains("cutter.yaml:4:3").contains("git.via").contains("forge: github:OWNER/REPO");
    }

    @Test
    void anUnknownRouteAForgeOfNoKnownFormAndABadWaitAreEachTold() throws Exception {
        CliTest.Result bad = validate("""
                  via: pull-reqest
                  forge: bitbucket:acme/app
                  wait: forever
                """);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out() + bad.err()).contains("cutter.yaml:3:").contains("did you mean 'pull-request'")
                .contains("cutter.yaml:4:").contains("github:OWNER/REPO, gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO")
                .contains("cutter.yaml:5:").contains("not a duration");
    }
}
