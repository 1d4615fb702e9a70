package dev.cutter.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A remote's URL as messages show it: no user name, no password, whatever the password holds. */
class RedactTest {
    @Test
    void theUserInformationGoesUpToTheLastAt() {
        assertThat(GitRepository.redact("https://bot:ghp_s3cret@github.com/acme/app.git")).isEqualTo("https://github.com/acme/app.git");
        assertThat(GitRepository.redact("https://bot:p@ss@github.com/acme/app.git")).isEqualTo("https://github.com/acme/app.git");
        assertThat(GitRepository.redact("ssh://git@host/x@y.git")).isEqualTo("ssh://host/x@y.git");
        assertThat(GitRepository.redact("/srv/git/app.git")).isEqualTo("/srv/git/app.git");
    }
}
