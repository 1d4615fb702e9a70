package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.HostileRegistry;
import dev.cutter.testing.HostileRegistry.Trick;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A registry whose own tag immutability is on (ECR, Harbor, Artifact Registry, played by
 * {@link HostileRegistry} in front of a real registry as each answers) refuses to move
 * {@code latest} to the next version: Cutter reports it as the law's refusal (exit 3), naming the
 * repository and tag, not as a failed job or an unreachable registry.
 */
@Tag("e2e")
class RegistryTagImmutabilityTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Trick.class, names = {"ECR_IMMUTABLE_TAGS", "HARBOR_IMMUTABLE_TAGS", "GAR_IMMUTABLE_TAGS"})
    void aRegistryRefusingToMoveAnImmutableTagIsTheLawsRefusal(Trick trick) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(); HostileRegistry immutable = HostileRegistry.start(registry.address(), trick)) {
            String tags = "[ \"{version}\", latest ]";
            Path first = ConcurrentReleasesTest.project(tmp, immutable.address(), "first", tags, "");
            CutterProcess.Result one = CutterProcess.inProcess(first, ENV, "release", "--version", "1.0.0", "--sha",
                    ConcurrentReleasesTest.SHA);
            assertThat(one.exit()).as(one.out() + one.err()).isZero();
            Path second = ConcurrentReleasesTest.project(tmp, immutable.address(), "second", tags, "");

            CutterProcess.Result two = CutterProcess.inProcess(second, ENV, "release", "--version", "1.1.0", "--sha", SHA);

            String said = two.out() + two.err();
            assertThat(immutable.played()).as(said).isPositive();
            assertThat(two.exit()).as(said).isEqualTo(3);
            assertThat(said).contains("acme/app:latest is immutable in the registry").doesNotContain("internal error");
            assertThat(ConcurrentReleasesTest.digest(registry.address(), "latest"))
                    .isEqualTo(ConcurrentReleasesTest.digest(registry.address(), "1.0.0"));
        }
    }
}
