package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void parsesOsArchitectureAndVariant() {
        assertThat(Platform.parse("linux/arm/v7")).isEqualTo(new Platform("linux", "arm", Optional.of("v7")));
        assertThat(Platform.parse("linux/amd64")).isEqualTo(new Platform("linux", "amd64"));
    }

    @Test
    void printsAsItIsWritten() {
        assertThat(Platform.parse("linux/arm/v7")).hasToString("linux/arm/v7");
        assertThat(Platform.parse("windows/amd64")).hasToString("windows/amd64");
    }

    @Test
    void refusesWhatIsNotAPlatformWithAnExample() {
        for (String text : new String[] {"linux", "linux/", "linux/arm/v7/x", "Linux/AMD64", "linux//v7"}) {
            assertThatThrownBy(() -> Platform.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linux/");
        }
    }
}
