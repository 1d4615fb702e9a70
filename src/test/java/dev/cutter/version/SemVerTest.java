package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @Test
    void parsesNumbersPrereleaseAndBuildMetadata() {
        SemVer version = SemVer.parse("1.22.333-rc.1+build.5");

        assertThat(version.major()).isEqualTo(1);
        assertThat(version.minor()).isEqualTo(22);
        assertThat(version.patch()).isEqualTo(333);
        assertThat(version.numbers()).containsExactly(1L, 22L, 333L);
        assertThat(version.prereleaseIdentifiers()).containsExactly("rc", "1");
        assertThat(version.prerelease()).contains("rc.1");
        assertThat(version.isPrerelease()).isTrue();
        assertThat(version.build()).containsExactly("build", "5");
        assertThat(version.buildMetadata()).contains("build.5");
    }

    @Test
    void stableVersionHasNoPrereleaseOrBuild() {
        SemVer version = SemVer.parse("2.0.0");

        assertThat(version).isEqualTo(SemVer.of(2, 0, 0));
        assertThat(version.prerelease()).isEmpty();
        assertThat(version.isPrerelease()).isFalse();
        assertThat(version.buildMetadata()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3", "1.0.0-0", "1.0.0-0a", "1.0.0--", "1.0.0-x-y.z-", "1.0.0-alpha.0.1",
        "1.0.0+001", "1.0.0+-", "1.0.0-rc.1+build.2.sha-abc", "9223372036854775807.0.0",
        "1.0.0-99999999999999999999999"})
    void textIsTheParsedTextForEveryValidVersion(String text) {
        assertThat(SemVer.parse(text).text()).isEqualTo(text);
        assertThat(SemVer.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void precedenceFollowsTheSemverOrgExampleChain() {
        List<String> chain = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        for (int i = 0; i + 1 < chain.size(); i++) {
            SemVer lower = SemVer.parse(chain.get(i));
            SemVer higher = SemVer.parse(chain.get(i + 1));
            assertThat(lower).as("%s < %s", lower, higher).isLessThan(higher);
            assertThat(higher).as("%s > %s", higher, lower).isGreaterThan(lower);
        }

        List<Version> shuffled = new ArrayList<>(chain.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(Version::text).containsExactlyElementsOf(chain);
    }

    @Test
    void majorMinorAndPatchCompareNumerically() {
        assertThat(SemVer.parse("1.0.0")).isLessThan(SemVer.parse("2.0.0"));
        assertThat(SemVer.parse("2.0.0")).isLessThan(SemVer.parse("2.1.0"));
        assertThat(SemVer.parse("2.1.0")).isLessThan(SemVer.parse("2.1.1"));
        assertThat(SemVer.parse("1.9.0")).isLessThan(SemVer.parse("1.10.0"));
        assertThat(SemVer.parse("1.2.9")).isLessThan(SemVer.parse("1.2.10"));
    }

    @Test
    void prereleaseRanksBelowTheStableVersionButAboveLowerNumbers() {
        assertThat(SemVer.parse("1.0.0-rc.1")).isLessThan(SemVer.parse("1.0.0"));
        assertThat(SemVer.parse("1.0.0-rc.1")).isGreaterThan(SemVer.parse("0.9.9"));
    }

    @Test
    void prereleaseIdentifiersCompareNumericallyBeforeAlphanumerically() {
        assertThat(SemVer.parse("1.0.0-2")).isLessThan(SemVer.parse("1.0.0-11"));
        assertThat(SemVer.parse("1.0.0-alpha.9")).isLessThan(SemVer.parse("1.0.0-alpha.10"));
        assertThat(SemVer.parse("1.0.0-999")).isLessThan(SemVer.parse("1.0.0-a"));
        assertThat(SemVer.parse("1.0.0-1.z")).isLessThan(SemVer.parse("1.0.0-a.1"));
    }

    @Test
    void alphanumericIdentifiersCompareInAsciiOrder() {
        assertThat(SemVer.parse("1.0.0-Beta")).isLessThan(SemVer.parse("1.0.0-alpha"));
        assertThat(SemVer.parse("1.0.0-a-b")).isLessThan(SemVer.parse("1.0.0-a0"));
        assertThat(SemVer.parse("1.0.0-rc10")).isLessThan(SemVer.parse("1.0.0-rc9"));
    }

    @Test
    void largerSetOfPrereleaseFieldsWinsWhenAllPrecedingAreEqual() {
        assertThat(SemVer.parse("1.0.0-alpha")).isLessThan(SemVer.parse("1.0.0-alpha.0"));
        assertThat(SemVer.parse("1.0.0-alpha.1")).isLessThan(SemVer.parse("1.0.0-alpha.1.a"));
    }

    @Test
    void numericIdentifiersLongerThanALongCompareWithoutOverflow() {
        assertThat(SemVer.parse("1.0.0-99999999999999999999"))
                .isGreaterThan(SemVer.parse("1.0.0-9999999999999999999"))
                .isLessThan(SemVer.parse("1.0.0-99999999999999999999a"));
    }

    @Test
    void buildMetadataIsIgnoredForPrecedenceButKeptForEquality() {
        SemVer first = SemVer.parse("1.0.0+build.1");
        SemVer second = SemVer.parse("1.0.0+build.2");

        assertThat(first.compareTo(second)).isZero();
        assertThat(first.compareTo(SemVer.of(1, 0, 0))).isZero();
        assertThat(first).isNotEqualTo(second);
        assertThat(SemVer.parse("1.0.0-rc.1+zzz")).isLessThan(SemVer.parse("1.0.0+aaa"));
    }

    static Stream<Arguments> invalidVersions() {
        return Stream.of(
                Arguments.of("", "it is empty; expected MAJOR.MINOR.PATCH, such as 1.2.3"),
                Arguments.of("v1.2.3", "it starts with \"v\"; write 1.2.3 and put the prefix in the tag pattern,"
                        + " e.g. \"v{version}\""),
                Arguments.of("V1.2.3", "it starts with \"V\"; write 1.2.3 and put the prefix in the tag pattern,"
                        + " e.g. \"V{version}\""),
                Arguments.of("1.02.3", "numeric identifier \"02\" has a leading zero; write 1.2.3"),
                Arguments.of("01.0.00-rc.01+007", "numeric identifier \"01\" has a leading zero; write 1.0.0-rc.1+007"),
                Arguments.of("1.2.3-rc.01", "numeric identifier \"01\" has a leading zero; write 1.2.3-rc.1"),
                Arguments.of("1.2", "it has 2 of the three numbers MAJOR.MINOR.PATCH; write 1.2.0"),
                Arguments.of("1-beta+b", "it has 1 of the three numbers MAJOR.MINOR.PATCH; write 1.0.0-beta+b"),
                Arguments.of("1.2.3.4", "it has 4 numbers, but a semantic version has exactly three"
                        + " (MAJOR.MINOR.PATCH); use the loose version scheme for versions like 1.2.3.4"),
                Arguments.of("1.2.3.beta", "it has 4 dot-separated parts before the prerelease, but a semantic"
                        + " version has exactly three (MAJOR.MINOR.PATCH); a prerelease follows a '-', as in 1.2.3-beta"),
                Arguments.of(".2.3", "the major version is empty"),
                Arguments.of("1..3", "the minor version is empty"),
                Arguments.of("1.2.", "the patch version is empty"),
                Arguments.of("x.2.3", "the major version \"x\" is not a number"),
                Arguments.of("1.2.x", "the patch version \"x\" is not a number"),
                Arguments.of("1.2.3beta.2", "the patch version \"3beta\" is not a number; a prerelease follows a '-',"
                        + " as in 1.2.3-beta.2"),
                Arguments.of("1.2.3-", "the prerelease after '-' is empty; remove the '-' or add identifiers,"
                        + " as in 1.2.3-rc.1"),
                Arguments.of("1.2.3+", "the build metadata after '+' is empty; remove the '+' or add identifiers,"
                        + " as in 1.2.3+build.5"),
                Arguments.of("1.2.3-alpha..1", "the prerelease has an empty identifier; identifiers are separated by"
                        + " single dots, as in 1.2.3-rc.1"),
                Arguments.of("1.2.3-.alpha", "the prerelease has an empty identifier; identifiers are separated by"
                        + " single dots, as in 1.2.3-rc.1"),
                Arguments.of("1.2.3+build.", "the build metadata has an empty identifier; identifiers are separated"
                        + " by single dots, as in 1.2.3+build.5"),
                Arguments.of("1.2.3+a+b", "it contains more than one '+'; build metadata starts after the first '+'"
                        + " and may not contain another"),
                Arguments.of("1.2.3_4", "it contains the character '_'; only ASCII letters, digits, '.', '-' and"
                        + " '+' are allowed"),
                Arguments.of("1.2.3 ", "it contains whitespace; only ASCII letters, digits, '.', '-' and '+' are"
                        + " allowed"),
                Arguments.of("1.2.3-b\u00e9ta", "it contains the character '\u00e9'; only ASCII letters, digits, '.',"
                        + " '-' and '+' are allowed"),
                Arguments.of("1.2.3-\u0007", "it contains the control character U+0007; only ASCII letters, digits,"
                        + " '.', '-' and '+' are allowed"),
                Arguments.of("99999999999999999999.0.0", "the major version 99999999999999999999 is too large;"
                        + " the maximum is 9223372036854775807"),
                Arguments.of("0.9223372036854775808.0", "the minor version 9223372036854775808 is too large;"
                        + " the maximum is 9223372036854775807"));
    }

    @ParameterizedTest
    @MethodSource("invalidVersions")
    void invalidTextIsRejectedWithAnActionableMessage(String text, String problem) {
        assertThatThrownBy(() -> SemVer.parse(text))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"" + text + "\" is not a semantic version: " + problem);
    }

    @Test
    void constructorRejectsNegativeNumbers() {
        assertThatThrownBy(() -> new SemVer(1, -2, 0, List.of(), List.of()))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"1.-2.0\" is not a semantic version: the minor version -2 is negative");
    }

    @Test
    void constructorRejectsIdentifiersThatParseWouldReject() {
        assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of("rc.1"), List.of()))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"1.0.0-rc.1\" is not a semantic version: the prerelease identifier \"rc.1\" contains"
                        + " the character '.'; identifiers may contain only ASCII letters, digits and '-'");
        assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of("rc", "01"), List.of()))
                .isInstanceOf(VersionException.class)
                .hasMessage("\"1.0.0-rc.01\" is not a semantic version: numeric identifier \"01\" has a leading"
                        + " zero; write 1.0.0-rc.1");
        assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of(), List.of("")))
                .isInstanceOf(VersionException.class)
                .hasMessageContaining("the build metadata has an empty identifier");
    }

    @Test
    void componentListsAreImmutableCopies() {
        List<String> prerelease = new ArrayList<>(List.of("rc", "1"));
        SemVer version = new SemVer(1, 0, 0, prerelease, List.of());
        prerelease.add("x");

        assertThat(version.prereleaseIdentifiers()).containsExactly("rc", "1");
        assertThatThrownBy(() -> version.prereleaseIdentifiers().add("y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void prereleaseIsTheJoinedIdentifiers() {
        assertThat(new SemVer(1, 0, 0, List.of("beta", "2"), List.of()).prerelease()).isEqualTo(Optional.of("beta.2"));
    }
}
