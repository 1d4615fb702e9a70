package dev.cutter.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Tag("security")
class ConfinedTest {
    static final Path ROOT = Path.of("/srv/repo");

    @Test
    void resolvesAPathBelowTheRoot() throws Exception {
        assertThat(Confined.resolve(ROOT, "pool/main/h/hello/hello_1.0_amd64.deb"))
                .isEqualTo(Path.of("/srv/repo/pool/main/h/hello/hello_1.0_amd64.deb"));
        assertThat(Confined.resolve(Path.of("/srv/repo/../repo/"), "a/../b")).isEqualTo(Path.of("/srv/repo/b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "pool/../../x", "/etc/passwd", "", ".", "pool/..", "a/\0b"})
    void refusesAPathThatLeavesTheRootOrIsTheRoot(String relative) {
        assertThatThrownBy(() -> Confined.resolve(ROOT, relative)).isInstanceOf(Confined.OutsideRootException.class)
                .hasMessageContaining("is not a path inside /srv/repo");
    }
}
