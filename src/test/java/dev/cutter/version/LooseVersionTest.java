package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LooseVersionTest {

    @Test
    void parsesNumbersAndLabel() {
        LooseVersion daily = LooseVersion.parse("0.10-daily");

        assertThat(daily.numbers()).containsExactly(0L, 10L);
        assertThat(daily.label()).contains("daily");
        assertThat(daily.prerelease()).contains("daily");
        assertThat(daily.isPrerelease()).isTrue();
        assertThat(daily.major()).isZero();
        assertThat(daily.minor()).isEqualTo(10);
        assertThat(daily.patch()).isZero();
    }

    @Test
    void missingNumbersCountAsZero() {
        LooseVersion two = LooseVersion.parse("2");

        assertThat(two.major()).isEqualTo(2);
        assertThat(two.minor()).isZero();
        assertThat(two.patch()).isZero();
        assertThat(two.isPrerelease()).isFalse();
        assertThat(two).isEqualTo(LooseVersion.of(2));
    }

    @Test
    void keepsNumbersBeyondTheThird() {
        LooseVersion version = LooseVersion.parse("1.2.3.4");

        assertThat(version.numbers()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(version.patch()).isEqualTo(3);
        assertThat(version.label()).isEmpty();
    }

    @Test
    void labelIsEverythingAfterTheFirstDash() {
        LooseVersion version = LooseVersion.parse("0.9.1-beta-2.x");

        assertThat(version.numbers()).containsExactly(0L, 9L, 1L);
        assertThat(version.label()).contains("beta-2.x");
        assertThat(version.prereleaseIdentifiers()).containsExactly("beta-2", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.10-daily", "0.9-beta", "0.1-test", "0.9.1-beta", "2", "1.2.3.4", "0", "1.0-rc.01",
        "3-a.b-c"})
    void textIsTheParsedText(String text) {
        assertThat(LooseVersion.parse(text).text()).isEqualTo(text);
        assertThat(LooseVersion.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void numbersCompareComponentWiseThenLabelledRanksLower() {
        List<String> ascending = List.of("0.1-test", "0.9-beta", "0.9", "0.9.1-beta", "0.9.1", "0.10-daily",
                "0.10", "1.2.3", "1.2.3.4", "2");
        for (int i = 0; i + 1 < ascending.size(); i++) {
            LooseVersion lower = LooseVersion.parse(ascending.get(i));
            LooseVersion higher = LooseVersion.parse(ascending.get(i + 1));
            assertThat(lower).as("%s < %s", lower, higher).isLessThan(higher);
        }
    }

    @Test
    void labelsCompareLikeSemverPrereleaseIdentifiers() {
        assertThat(LooseVersion.parse("1.0-beta.2")).isLessThan(LooseVersion.parse("1.0-beta.11"));
        assertThat(LooseVersion.parse("1.0-alpha")).isLessThan(LooseVersion.parse("1.0-beta"));
        assertThat(LooseVersion.parse("1.0-7")).isLessThan(LooseVersion.parse("1.0-a"));
        assertThat(LooseVersion.parse("1.0-beta")).isLessThan(LooseVersion.parse("1.0-beta.1"));
    }

    @Test
    void trailingZerosDoNotChangePrecedenceButDoChangeEquality() {
        LooseVersion short12 = LooseVersion.parse("1.2");
        LooseVersion long12 = LooseVersion.parse("1.2.0.0");

        assertThat(short12.compareTo(long12)).isZero();
        assertThat(short12).isNotEqualTo(long12);
    }

    @Test
    void comparesWithSemverByNumbersThenPrerelease() {
        assertThat(loose("1.2").compareTo(semver("1.2.0"))).isZero();
        assertThat(semver("1.2.0").compareTo(loose("1.2"))).isZero();
        assertThat(loose("1.2-rc.1").compareTo(semver("1.2.0-rc.1"))).isZero();
        assertThat(semver("1.2.0-rc.1")).isLessThan(loose("1.2"));
        assertThat(loose("1.2.0.1")).isGreaterThan(semver("1.2.0"));
        assertThat(loose("1.2.0.1")).isLessThan(semver("1.2.1-alpha"));
        assertThat(loose("0.10-daily")).isGreaterThan(semver("0.9.9"));
    }

    private static Version loose(String text) {
        return LooseVersion.parse(text);
    }

    private static Version semver(String text) {
        return SemVer.parse(text);
    }

    static Stream<Arguments> invalidVersions() {
        return Stream.of(
                Arguments.of("", "it is empty; expected dot-separated numbers with an optional -label, such as 2,"
                        + " 1.2.3.4 or 0.10-daily"),
                Arguments.of("v0.9", "it starts with \"v\"; write 0.9 and put the prefix in the tag pattern,"
                        + " e.g. \"v{version}\""),
                Arguments.of("1.02-beta", "number \"02\" has a leading zero; write 1.2-beta"),
                Arguments.of("1..2", "it has an empty number; numbers are separated by single dots, as in 1.2.3"),
                Arguments.of("1.", "it has an empty number; numbers are separated by single dots, as in 1.2.3"),
                Arguments.of("0.9beta", "\"9beta\" is not a number; a label follows a '-', as in 0.9-beta"),
                Arguments.of("1.x", "\"x\" is not a number"),
                Arguments.of("1.2-", "the label after '-' is empty; remove the '-' or add a label, as in 0.9-beta"),
                Arguments.of("-beta", "it does not start with a number; a label follows the numbers, as in 0.9-beta"),
                Arguments.of("1.2+build", "it contains the character '+'; only ASCII letters, digits, '.' and '-'"
                        + " are allowed"),
                Arguments.of("1.2 beta", "it contains whitespace; only ASCII letters, digits, '.' and '-' are"
                        + " allowed"),
                Arguments.of("99999999999999999999", "the number 99999999999999999999 is too large; the maximum is"
                        + " 9223372036854775807"));
    }

    @ParameterizedTest
    @MethodSource("invalidVersions")
    void invalidTextIsRejectedWithAnActionableMessage(String text, String problem) {
        assertThatThrownBy(() -> LooseVersion.parse(text))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"" + text + "\" is not a loose version: " + problem);
    }

    @Test
    void constructorRejectsWhatParseWouldReject() {
        assertThatThrownBy(() -> new LooseVersion(List.of(), Optional.empty()))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"\" is not a loose version: it has no numbers; a loose version starts with a number,"
                        + " as in 0.9-beta");
        assertThatThrownBy(() -> new LooseVersion(List.of(1L, -1L), Optional.empty()))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"1.-1\" is not a loose version: the number -1 is negative");
        assertThatThrownBy(() -> new LooseVersion(List.of(1L), Optional.of("be ta")))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"1-be ta\" is not a loose version: the label \"be ta\" contains whitespace; a label"
                        + " may contain only ASCII letters, digits, '.' and '-'");
        assertThatThrownBy(() -> new LooseVersion(List.of(1L), Optional.of("")))
                .isInstanceOf(VersionException.class)
                .hasMessageContaining("the label after '-' is empty");
    }
}
