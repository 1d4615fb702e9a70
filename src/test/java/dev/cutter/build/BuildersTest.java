package dev.cutter.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which builder a choice means, told by which programs answer. The machine is stood in for by a
 * {@link ProcessRunner} that knows a given set of programs (the others cannot start, as on a
 * machine without them); the builders themselves are tested against the real buildah.
 */
class BuildersTest {
    private final List<String> asked = new ArrayList<>();

    private Builders on(Set<String> installed) {
        ProcessRunner runner = command -> {
            asked.add(String.join(" ", command.argv()));
            if (!installed.contains(command.program())) {
                throw new ProcessRunner.CannotStart(command.program() + ": not found", null);
            }
            return new Result(0, "", "");
        };
        return new Builders(runner, Duration.ofMinutes(1));
    }

    @Test
    void withoutAnyBuilderEveryChoiceSaysWhatToInstall() throws Exception {
        Builders none = on(Set.of());
        assertThat(none.choose("auto").builder()).isEmpty();
        assertThat(none.choose("auto").problem()).contains("no image builder here").contains("apt-get install buildah");
        assertThat(none.choose("buildah").problem()).contains("buildah is not installed").contains("apt-get install buildah");
        assertThat(none.choose("docker").problem()).contains("no Docker engine with buildx answers");
    }

    @Test
    void autoTakesDockerWhenAnEngineAnswersElseBuildahAndAsksEachOnce() throws Exception {
        assertThat(on(Set.of("buildah")).choose("auto").builder()).get().extracting(ImageBuilder::name).isEqualTo("buildah");
        asked.clear();
        Builders both = on(Set.of("buildah", "docker"));
        assertThat(both.choose("auto").builder()).get().extracting(ImageBuilder::name).isEqualTo("docker");
        assertThat(both.choose("buildah").builder()).get().extracting(ImageBuilder::name).isEqualTo("buildah");
        both.choose("auto");
        assertThat(asked).containsExactly("docker buildx version", "docker info --format {{.ServerVersion}}", "buildah version");
    }
}
