package dev.cutter.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What Cutter tells git's credential helpers: one field per line, nothing a value could add. */
@Tag("security")
class GitCredentialsTest {
    @Test
    void describesARemoteOneFieldPerLine() throws Exception {
        String request = GitCredentials.describe(new URIish("https://ci@git.example.com:8443/acme/app.git"), Map.of());

        assertThat(request).isEqualTo("protocol=https\nhost=git.example.com:8443\npath=acme/app.git\nusername=ci\n\n");
    }

    @Test
    void aLineBreakInAFieldIsRefusedRatherThanSentAsAnotherField() throws Exception {
        URIish uri = new URIish("https://git.example.com/acme/app.git");

        assertThatThrownBy(() -> GitCredentials.describe(uri, Map.of("username", "ci\nhost=evil.example")))
                .isInstanceOf(GitException.class).hasMessageContaining("line break");
    }
}
