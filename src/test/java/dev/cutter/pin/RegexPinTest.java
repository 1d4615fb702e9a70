package dev.cutter.pin;

import static dev.cutter.pin.Golden.applyOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegexPinTest {
    static final String DOCKERFILE = """
            ARG BASE=registry.fedoraproject.org/fedora:40
            FROM ${BASE} AS builder
            ARG KATA_VERSION=3.9.0
            ARG GUEST_COMPONENTS=v0.10.0
            RUN echo "building with kata ${KATA_VERSION}"
            """;
    static final Pin KATA = new Pin.Regex("(?m)^(ARG KATA_VERSION=)\\S+$", "$1{value}");

    @Test
    void replacesTheOneMatchAndReverts() {
        PinEdit.Result result = applyOneLine(DOCKERFILE, KATA, "3.10.0", "ARG KATA_VERSION=3.10.0");
        assertThat(result.previous()).isEqualTo("ARG KATA_VERSION=3.9.0");
        applyOneLine(DOCKERFILE.replace("\n", "\r\n"), new Pin.Regex("(?m)^(ARG KATA_VERSION=)[^\\s]+", "$1{value}"), "3.10.0",
                "ARG KATA_VERSION=3.10.0");
        applyOneLine(DOCKERFILE, new Pin.Regex("(?<arg>ARG GUEST_COMPONENTS=)v[0-9.]+", "${arg}{value}"), "v0.11.0",
                "ARG GUEST_COMPONENTS=v0.11.0");
    }

    @Test
    void theValueIsLiteralAndEscapesWork() {
        Pin pin = new Pin.Regex("(?m)^(ARG KATA_VERSION=)\\S+$", "$1{value}");
        assertThat(PinEdit.apply(DOCKERFILE, pin, "a$1\\b").text()).contains("ARG KATA_VERSION=a$1\\b\n");
        Pin literal = new Pin.Regex("(?m)^(ARG KATA_VERSION=)\\S+$", "$1\\$x{value}");
        assertThat(PinEdit.apply(DOCKERFILE, literal, "v").text()).contains("ARG KATA_VERSION=$xv\n");
        Pin whole = new Pin.Regex("(?<=KATA_VERSION=)[0-9.]+");
        applyOneLine(DOCKERFILE, whole, "3.10.0", "ARG KATA_VERSION=3.10.0");
    }

    @Test
    void mustMatchExactlyOnce() {
        assertThatThrownBy(() -> PinEdit.apply(DOCKERFILE, new Pin.Regex("ARG NOPE=(\\S+)", "x"), "v"))
                .isInstanceOf(PinException.class).hasMessageContaining("matches nothing");
        assertThatThrownBy(() -> PinEdit.apply(DOCKERFILE, new Pin.Regex("(?m)^ARG \\w+=\\S+$", "ARG X={value}"), "v"))
                .hasMessageContaining("matches 3 times (lines 1, 3, 4); make it more specific");
    }

    @Test
    void aReplacementThePatternDoesNotMatchAgainIsRefused() {
        assertThatThrownBy(() -> PinEdit.apply(DOCKERFILE, new Pin.Regex("KATA_VERSION=3\\.9\\.0", "KATA_VERSION={value}"), "3.10.0"))
                .hasMessageContaining("after the edit the pattern no longer matches")
                .hasMessageContaining("make the pattern match its own replacement");
        assertThatThrownBy(() -> PinEdit.apply(DOCKERFILE, new Pin.Regex("(?m)^(ARG KATA_VERSION=)\\S+$", "$1{value}"), "3 .10"))
                .hasMessageContaining("after the edit the pattern no longer matches");
    }

    @Test
    void badPatternsAndReplacementsAreRefused() {
        assertThatThrownBy(() -> new Pin.Regex("(unclosed")).isInstanceOf(PinException.class)
                .hasMessageContaining("not a valid Java regular expression");
        assertThatThrownBy(() -> PinEdit.apply(DOCKERFILE, new Pin.Regex("(ARG KATA_VERSION=)\\S+", "$2{value}"), "v"))
                .hasMessageContaining("refers to $2 but the pattern has 1 groups");
    }
}
