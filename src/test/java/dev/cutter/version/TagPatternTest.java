package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TagPatternTest {

    private static final Version V123 = SemVer.of(1, 2, 3);

    @Test
    void formatsTagsAroundTheVersion() {
        assertThat(TagPattern.of("v{version}").format(null, V123)).isEqualTo("v1.2.3");
        assertThat(TagPattern.of("{version}").format(null, V123)).isEqualTo("1.2.3");
        assertThat(TagPattern.of("serverless-init-{version}").format(null, LooseVersion.parse("0.10-daily")))
                .isEqualTo("serverless-init-0.10-daily");
        assertThat(TagPattern.of("v{version}").format(null, SemVer.parse("1.0.0-rc.1+b.7")))
                .isEqualTo("v1.0.0-rc.1+b.7");
    }

    @Test
    void formatsTheComponentIntoItsPlaceholder() {
        TagPattern pattern = TagPattern.of("src/{component}/v{version}");

        assertThat(pattern.hasComponent()).isTrue();
        assertThat(pattern.format("api", V123)).isEqualTo("src/api/v1.2.3");
    }

    @Test
    void componentIsIgnoredWhenThePatternHasNoPlaceholderForIt() {
        TagPattern pattern = TagPattern.of("v{version}");

        assertThat(pattern.hasComponent()).isFalse();
        assertThat(pattern.format("api", V123)).isEqualTo("v1.2.3");
        assertThat(pattern.extractVersion("v1.2.3", "api")).contains("1.2.3");
    }

    @Test
    void formattingAComponentPatternWithoutAComponentIsAnError() {
        TagPattern pattern = TagPattern.of("src/{component}/v{version}");

        assertThatThrownBy(() -> pattern.format(null, V123))
                .isInstanceOf(VersionException.class)
                .hasMessage("the tag pattern \"src/{component}/v{version}\" contains {component}, so a component"
                        + " name is needed, but none was given");
        assertThatThrownBy(() -> pattern.format("", V123))
                .isInstanceOf(VersionException.class)
                .hasMessage("the tag pattern \"src/{component}/v{version}\" contains {component}, so a component"
                        + " name is needed, but an empty one was given");
    }

    @Test
    void extractsTheVersionTextWhenTheLiteralPartsMatch() {
        TagPattern pattern = TagPattern.of("v{version}");

        assertThat(pattern.extractVersion("v1.2.3", null)).contains("1.2.3");
        assertThat(pattern.extractVersion("v1.2.3-rc.1+build.5", null)).contains("1.2.3-rc.1+build.5");
        assertThat(pattern.extractVersion("1.2.3", null)).isEmpty();
        assertThat(pattern.extractVersion("v", null)).isEmpty();
        assertThat(pattern.extractVersion("release-v1.2.3", null)).isEmpty();
    }

    @Test
    void literalSuffixesMustMatchToo() {
        TagPattern pattern = TagPattern.of("{version}-final");

        assertThat(pattern.extractVersion("1.2.3-final", null)).contains("1.2.3");
        assertThat(pattern.extractVersion("1.2.3-rc.1-final", null)).contains("1.2.3-rc.1");
        assertThat(pattern.extractVersion("1.2.3", null)).isEmpty();
    }

    @Test
    void versionNeverSpansAPathSeparator() {
        assertThat(TagPattern.of("v{version}").extractVersion("v1.2.3/extra", null)).isEmpty();
    }

    @Test
    void anyComponentSegmentMatchesWhenNoComponentIsGiven() {
        TagPattern pattern = TagPattern.of("src/{component}/v{version}");

        assertThat(pattern.extractVersion("src/api/v1.2.3", null)).contains("1.2.3");
        assertThat(pattern.extractVersion("src/web-ui/v2.0.0", null)).contains("2.0.0");
        assertThat(pattern.extractVersion("src/a/b/v1.2.3", null)).isEmpty();
        assertThat(pattern.extractVersion("src//v1.2.3", null)).isEmpty();
    }

    @Test
    void onlyTheGivenComponentMatchesWhenOneIsGiven() {
        TagPattern pattern = TagPattern.of("src/{component}/v{version}");

        assertThat(pattern.extractVersion("src/api/v1.2.3", "api")).contains("1.2.3");
        assertThat(pattern.extractVersion("src/web/v1.2.3", "api")).isEmpty();
        assertThat(pattern.extractVersion("src/apiv/v1.2.3", "api")).isEmpty();
    }

    @Test
    void componentValuesAreLiteralTextNotRegularExpressions() {
        TagPattern pattern = TagPattern.of("{component}@{version}");

        assertThat(pattern.extractVersion("a.b@1.0.0", "a.b")).contains("1.0.0");
        assertThat(pattern.extractVersion("axb@1.0.0", "a.b")).isEmpty();
        assertThat(pattern.extractVersion("x\\E.*@1.0.0", "x\\E.*")).contains("1.0.0");
        assertThat(pattern.extractVersion("xyz@1.0.0", "x\\E.*")).isEmpty();
    }

    @Test
    void regularExpressionMetacharactersInLiteralsMatchThemselves() {
        TagPattern plus = TagPattern.of("release+{version}");
        assertThat(plus.extractVersion("release+1.2.3", null)).contains("1.2.3");
        assertThat(plus.extractVersion("releaseee1.2.3", null)).isEmpty();
        assertThat(plus.format(null, V123)).isEqualTo("release+1.2.3");

        TagPattern dots = TagPattern.of("a.b-{version}");
        assertThat(dots.extractVersion("a.b-1.2.3", null)).contains("1.2.3");
        assertThat(dots.extractVersion("axb-1.2.3", null)).isEmpty();

        TagPattern groups = TagPattern.of("(v)|$x{version}");
        assertThat(groups.extractVersion("(v)|$x1.2.3", null)).contains("1.2.3");
        assertThat(groups.extractVersion("v1.2.3", null)).isEmpty();
    }

    @Test
    void versionTextMustStartWithADigit() {
        TagPattern pattern = TagPattern.of("v{version}");

        assertThat(pattern.extractVersion("vfoo", null)).isEmpty();
        assertThat(pattern.extractVersion("v-1.2.3", null)).isEmpty();
        assertThat(pattern.extractVersion("vv1.2.3", null)).isEmpty();
    }

    @Test
    void componentsContainingTheSeparatorSplitBeforeTheVersion() {
        TagPattern pattern = TagPattern.of("{component}-{version}");

        assertThat(pattern.extractVersion("web-ui-1.2.3", null)).contains("1.2.3");
        assertThat(pattern.extractVersion("web-ui-1.2.3-rc.1", null)).contains("1.2.3-rc.1");
        assertThat(pattern.extractVersion("api-0.10-daily", null)).contains("0.10-daily");
        assertThat(pattern.parseTag("web-ui-1.2.3-rc.1", null, VersionScheme.SEMVER))
                .isEqualTo(SemVer.parse("1.2.3-rc.1"));
    }

    @Test
    void whenTheSeparatorAlsoOccursAfterTheVersionTheVersionTakesTheLongestText() {
        TagPattern pattern = TagPattern.of("{version}-{component}");

        assertThat(pattern.extractVersion("1.2.3-rc.1-api", null)).contains("1.2.3-rc.1");
        assertThat(pattern.extractVersion("1.2.3-rc.1-api", "rc.1-api")).contains("1.2.3");
    }

    @Test
    void parsesTheVersionOfAMatchingTag() {
        assertThat(TagPattern.of("v{version}").parseTag("v1.2.3", null, VersionScheme.SEMVER)).isEqualTo(V123);
        assertThat(TagPattern.of("serverless-init-{version}")
                .parseTag("serverless-init-0.10-daily", null, VersionScheme.LOOSE))
                .isEqualTo(LooseVersion.parse("0.10-daily"));
        assertThat(TagPattern.of("src/{component}/v{version}").parseTag("src/api/v1.2.3", "api", VersionScheme.SEMVER))
                .isEqualTo(V123);
    }

    @Test
    void parsingATagThatDoesNotMatchNamesTheTagAndPattern() {
        assertThatThrownBy(() -> TagPattern.of("v{version}").parseTag("release-1.2.3", null, VersionScheme.SEMVER))
                .isInstanceOf(VersionException.class)
                .hasMessage("tag \"release-1.2.3\" does not match the pattern \"v{version}\"");
        assertThatThrownBy(() -> TagPattern.of("src/{component}/v{version}")
                .parseTag("src/web/v1.2.3", "api", VersionScheme.SEMVER))
                .isInstanceOf(VersionException.class)
                .hasMessage("tag \"src/web/v1.2.3\" does not match the pattern \"src/{component}/v{version}\""
                        + " for component \"api\"");
    }

    @Test
    void parsingATagWithAnInvalidVersionCarriesTheParseError() {
        assertThatThrownBy(() -> TagPattern.of("v{version}").parseTag("v1.2", null, VersionScheme.SEMVER))
                .isInstanceOf(VersionException.class)
                .hasMessage("tag \"v1.2\" matches the pattern \"v{version}\" but its version is invalid: \"1.2\" is"
                        + " not a semantic version: it has 2 of the three numbers MAJOR.MINOR.PATCH; write 1.2.0")
                .hasCauseInstanceOf(VersionException.class);
    }

    @Test
    void parsingATagWhoseVersionPartIsNotAVersionExplainsWhy() {
        assertThatThrownBy(() -> TagPattern.of("{version}").parseTag("v1.2.3", null, VersionScheme.SEMVER))
                .isInstanceOf(VersionException.class)
                .hasMessage("tag \"v1.2.3\" does not match the pattern \"{version}\": its version part \"v1.2.3\""
                        + " does not start with a digit; if \"v\" is a prefix, put it in the pattern, e.g."
                        + " \"v{version}\"");
        assertThatThrownBy(() -> TagPattern.of("release-{version}").parseTag("release-next", null,
                VersionScheme.LOOSE))
                .isInstanceOf(VersionException.class)
                .hasMessage("tag \"release-next\" does not match the pattern \"release-{version}\": its version"
                        + " part \"next\" does not start with a digit");
    }

    static Stream<Arguments> invalidPatterns() {
        return Stream.of(
                Arguments.of("", "it is empty; write e.g. \"v{version}\" or \"{version}\""),
                Arguments.of("release-", "it has no {version} placeholder; add one, e.g. \"release-{version}\""),
                Arguments.of("{version}-{version}", "it has 2 {version} placeholders; it needs exactly one"),
                Arguments.of("{component}/{component}/{version}",
                        "it has 2 {component} placeholders; at most one is allowed"),
                Arguments.of("v{major}.{version}",
                        "it uses the unknown placeholder {major}; only {version} and {component} are allowed"),
                Arguments.of("v{Version}",
                        "it uses the unknown placeholder {Version}; only {version} and {component} are allowed"),
                Arguments.of("v{version", "it has a '{' without a closing '}'"),
                Arguments.of("v}{version}", "it has a '}' without an opening '{'"),
                Arguments.of("{component}{version}", "{component} and {version} are next to each other, so a tag"
                        + " could not be split into them; put literal text between them, e.g."
                        + " \"{component}-{version}\""),
                Arguments.of("v {version}", "it contains whitespace, which git does not allow in tag names"),
                Arguments.of("release-*-{version}", "it contains the character '*', which git does not allow in"
                        + " tag names"),
                Arguments.of("v:{version}", "it contains the character ':', which git does not allow in tag names"));
    }

    @ParameterizedTest
    @MethodSource("invalidPatterns")
    void invalidPatternsAreRejectedWithAnActionableMessage(String pattern, String problem) {
        assertThatThrownBy(() -> TagPattern.of(pattern))
                .isInstanceOf(VersionException.class)
                .hasMessage("invalid tag pattern \"" + pattern + "\": " + problem);
    }
}
