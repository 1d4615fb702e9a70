package dev.cutter.repo.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SftpTargetTest {
    @Test
    void parsesUserHostPortAndPath() {
        assertThat(SftpTarget.parse("sftp://deploy@repo.example.org:2222/srv/repo/"))
                .isEqualTo(new SftpTarget("deploy", "repo.example.org", 2222, "/srv/repo"));
        assertThat(SftpTarget.parse("sftp://repo.example.org/srv/repo")).isEqualTo(new SftpTarget("", "repo.example.org", 22, "/srv/repo"));
        assertThat(SftpTarget.parse("sftp://[::1]:2222/srv")).isEqualTo(new SftpTarget("", "::1", 2222, "/srv"));
        assertThat(SftpTarget.parse("sftp://h/~/repo").path()).isEqualTo("repo");
        assertThat(SftpTarget.parse("sftp://u@h:2222/srv/repo").toString()).isEqualTo("sftp://u@h:2222/srv/repo");
        assertThat(SftpTarget.parse("sftp://u@h:2222/srv/repo").knownHostsName()).isEqualTo("[h]:2222");
    }

    @Test
    void refusesWhatIsNotASafeTarget() {
        assertThatThrownBy(() -> SftpTarget.parse("scp://h/srv")).hasMessageContaining("not an SFTP URI");
        assertThatThrownBy(() -> SftpTarget.parse("sftp:///srv")).hasMessageContaining("no host");
        assertThatThrownBy(() -> SftpTarget.parse("sftp://h")).hasMessageContaining("no directory");
        assertThatThrownBy(() -> SftpTarget.parse("sftp://h/")).hasMessageContaining("no directory");
        assertThatThrownBy(() -> SftpTarget.parse("sftp://h/srv/../etc")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> SftpTarget.parse("sftp://u:hunter2@h/srv")).hasMessageContaining("password")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> SftpTarget.parse("sftp://h:99999/srv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshAuth.HostKeys.fingerprint("MD5:aa:bb")).hasMessageContaining("SHA256:");
    }

    @Test
    void entryPointsAreTheIndexesClientsReadFirst() {
        assertThat(SyncPlan.isEntryPoint("dists/stable/InRelease")).isTrue();
        assertThat(SyncPlan.isEntryPoint("debian/dists/stable/Release.gpg")).isTrue();
        assertThat(SyncPlan.isEntryPoint("repodata/repomd.xml")).isTrue();
        assertThat(SyncPlan.isEntryPoint("el9/x86_64/repodata/repomd.xml.asc")).isTrue();
        assertThat(SyncPlan.isEntryPoint("pool/main/r/Release")).isFalse();
        assertThat(SyncPlan.isEntryPoint("repodata/abc-primary.xml.gz")).isFalse();
    }
}
