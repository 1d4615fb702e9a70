package dev.cutter.release;

import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.km;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseNamesTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "../outside", "..", "v1..2", ".staging", ".releases", ".hidden", "a\\b",
            "tab\there", "new\nline", "nul\u0000", "del\u007f"})
    void refusesReleaseNamesThatAreNotOnePlainDirectoryName(String name) throws IOException {
        Path root = temp.resolve("store");
        DirectoryStore store = new DirectoryStore(root, TestStaging.in(temp));
        ReleaseDraft draft = km(Files.createDirectories(temp.resolve("dist")), name, "one");

        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.REPLACE))
                .isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("dir:" + root)
                .hasMessageContaining("is not a valid release name")
                .hasMessageNotContainingAny("\n", "\t", "\u0000");
        assertThatThrownBy(() -> store.find(name)).isInstanceOf(InvalidReleaseException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(InvalidReleaseException.class);
        assertThat(root).doesNotExist();
        assertThat(temp.resolve("outside")).doesNotExist();
    }

    @Test
    void refusesReleaseNamesLongerThanTheStoreCanHold() {
        DirectoryStore store = new DirectoryStore(temp, TestStaging.in(temp));

        assertThatThrownBy(() -> store.find("v" + "1".repeat(DirectoryStore.MAX_NAME_BYTES)))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("longer than 128 bytes");
        assertThatCode(() -> store.find("v" + "1".repeat(DirectoryStore.MAX_NAME_BYTES - 1))).doesNotThrowAnyException();
    }

    @Test
    void acceptsTheNamesReleasesActuallyHave() {
        DirectoryStore store = new DirectoryStore(temp, TestStaging.in(temp));

        for (String name : new String[] {"v0.1-test", "v0.10-beta-demo-nokia", "serverless-init-1.7.8-rc1", "1.0.0+build.5",
                "peer-pods@v0.8.0", "Release 2025 (final)"}) {
            assertThatCode(() -> store.find(name)).as(name).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc/passwd", "dir/file.tar.gz", "a\\b", "bell\u0007"})
    void refusesAssetNamesThatAreNotPlainFileNames(String name) {
        assertThatThrownBy(() -> asset(temp, name, "x", null))
                .isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("is not a valid asset name");
    }

    @Test
    void refusesTwoAssetsWithOneName() {
        assertThatThrownBy(() -> Fixtures.draft("v1", Fixtures.T0, "", java.util.List.of(
                asset(temp, "kontain.tar.gz", "one", 1), asset(temp, "kontain.tar.gz", "two", 1))))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("two assets named kontain.tar.gz");
    }
}
