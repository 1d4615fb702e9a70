package dev.cutter.release;

import static dev.cutter.release.Fixtures.T0;
import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.version.Glob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path temp;
    DirectoryStore store;

    @BeforeEach
    void publishDailiesAndBetas() throws IOException {
        Path sources = Files.createDirectories(temp.resolve("dist"));
        store = new DirectoryStore(temp.resolve("releases"), TestStaging.in(temp));
        for (int day = 1; day <= 5; day++) {
            publish(sources, "v0.1" + day + "-daily", T0.plusSeconds(86_400L * day));
        }
        publish(sources, "v0.9-beta", T0);
        publish(sources, "v0.10-beta", T0.plusSeconds(1));
    }

    private void publish(Path sources, String name, Instant created) {
        store.publish(draft(name, created, "", List.of(asset(sources, "kontain.tar.gz", name, 1))), ExistsPolicy.FAIL);
    }

    private List<String> names() {
        return store.list().stream().map(ReleaseInfo::name).toList();
    }

    @Test
    void keepsTheNewestMatchingReleasesAndDeletesTheRest() {
        List<ReleaseInfo> deleted = Prune.prune(store, 2, "*-daily", false);

        assertThat(deleted).extracting(ReleaseInfo::name).containsExactly("v0.13-daily", "v0.12-daily", "v0.11-daily");
        assertThat(names()).containsExactly("v0.15-daily", "v0.14-daily", "v0.10-beta", "v0.9-beta");
    }

    @Test
    void leavesReleasesThatDoNotMatchAlone() {
        Prune.prune(store, 0, "v0.1?-daily", false);

        assertThat(names()).containsExactly("v0.10-beta", "v0.9-beta");
    }

    @Test
    void aDryRunReportsWhatWouldBeDeletedAndDeletesNothing() {
        List<String> before = names();

        assertThat(Prune.prune(store, 4, "*", true)).extracting(ReleaseInfo::name)
                .containsExactly("v0.11-daily", "v0.10-beta", "v0.9-beta");
        assertThat(names()).isEqualTo(before);
    }

    @Test
    void releasesCreatedAtTheSameTimeAreOrderedByVersionNotByText() {
        ReleaseInfo v9 = info("v0.9-daily", T0);
        ReleaseInfo v10 = info("v0.10-daily", T0);
        ReleaseInfo older = info("v0.11-daily", T0.minusSeconds(1));

        assertThat(Prune.stale(List.of(v9, older, v10), 1, new Glob("*"))).containsExactly(v9, older);
    }

    @Test
    void refusesToKeepANegativeNumber() {
        assertThatThrownBy(() -> Prune.prune(store, -1, "*", true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(names()).hasSize(7);
    }

    private static ReleaseInfo info(String name, Instant created) {
        return new ReleaseInfo(name, "km", name.substring(1), "daily", name, Optional.empty(), created, List.of(), false);
    }
}
