package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VersionPropertiesTest {

    @Property
    void compareToIsAntisymmetric(@ForAll("semvers") SemVer a, @ForAll("semvers") SemVer b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    }

    @Property
    void compareToIsTransitive(@ForAll("semvers") SemVer a, @ForAll("semvers") SemVer b,
                               @ForAll("semvers") SemVer c) {
        assertOrderedPairwise(Stream.of(a, b, c).sorted().toList());
    }

    @Property
    void compareToIsTransitiveAcrossSchemes(@ForAll("versions") Version a, @ForAll("versions") Version b,
                                            @ForAll("versions") Version c) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
        assertOrderedPairwise(Stream.of(a, b, c).sorted().toList());
    }

    @Property
    void semversCompareEqualExactlyWhenTheyDifferOnlyInBuildMetadata(@ForAll("semvers") SemVer a,
                                                                      @ForAll("semvers") SemVer b) {
        assertThat(a.compareTo(b) == 0).isEqualTo(withoutBuild(a).equals(withoutBuild(b)));
        assertThat(a.compareTo(a)).isZero();
    }

    @Property
    void semverTextParsesBackToTheSameVersion(@ForAll("semvers") SemVer version) {
        assertThat(SemVer.parse(version.text())).isEqualTo(version);
    }

    @Property
    void looseTextParsesBackToTheSameVersion(@ForAll("looseVersions") LooseVersion version) {
        assertThat(LooseVersion.parse(version.text())).isEqualTo(version);
    }

    @Property
    void formattedTagsExtractBackToTheVersion(@ForAll("versions") Version version,
                                              @ForAll("components") String component) {
        TagPattern pattern = TagPattern.of("src/{component}/v{version}");
        String tag = pattern.format(component, version);

        assertThat(pattern.extractVersion(tag, component)).contains(version.text());
        assertThat(pattern.extractVersion(tag, null)).contains(version.text());
    }

    @Property
    void starMatchesEverything(@ForAll String text) {
        assertThat(new Glob("*").matches(text)).isTrue();
    }

    @Property
    void textWithoutWildcardsMatchesOnlyItself(@ForAll("globTexts") String text, @ForAll("globTexts") String other) {
        assertThat(new Glob(text).matches(text)).isTrue();
        assertThat(new Glob(text).matches(other)).isEqualTo(text.equals(other));
    }

    @Property(tries = 2000)
    void globAgreesWithAnEquivalentRegularExpression(@ForAll("globPatterns") String pattern,
                                                     @ForAll("globTexts") String text) {
        String regex = pattern.chars()
                .mapToObj(c -> switch (c) {
                    case '*' -> ".*";
                    case '?' -> ".";
                    default -> Pattern.quote(Character.toString(c));
                })
                .reduce("", String::concat);

        assertThat(new Glob(pattern).matches(text)).isEqualTo(Pattern.matches(regex, text));
    }

    @Provide
    Arbitrary<SemVer> semvers() {
        // Small numbers and few identifiers so that equal and nearly equal versions are common.
        Arbitrary<Long> number = Arbitraries.oneOf(Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<String> numeric = Arbitraries.oneOf(Arbitraries.integers().between(0, 12).map(String::valueOf),
                Arbitraries.strings().withChars("123456789").ofLength(20));
        Arbitrary<String> alphanumeric = Arbitraries.strings().withChars("aAz0-").ofMinLength(1).ofMaxLength(3)
                .filter(identifier -> !VersionSyntax.isDigits(identifier));
        Arbitrary<List<String>> prerelease = Arbitraries.oneOf(numeric, alphanumeric).list().ofMaxSize(3);
        Arbitrary<List<String>> build = Arbitraries.strings().withChars("a0-").ofMinLength(1).ofMaxLength(3)
                .list().ofMaxSize(2);
        return Combinators.combine(number, number, number, prerelease, build).as(SemVer::new);
    }

    @Provide
    Arbitrary<LooseVersion> looseVersions() {
        Arbitrary<List<Long>> numbers = Arbitraries.longs().between(0, 3).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<String> label = Arbitraries.strings().withChars("ab01.-").ofMinLength(1).ofMaxLength(5);
        return Combinators.combine(numbers, label.optional(0.5)).as(LooseVersion::new);
    }

    @Provide
    Arbitrary<Version> versions() {
        return Arbitraries.oneOf(semvers(), looseVersions());
    }

    @Provide
    Arbitrary<String> components() {
        return Arbitraries.strings().withChars("abc-_.v0").ofMinLength(1).ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> globPatterns() {
        return Arbitraries.strings().withChars("ab*?").ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> globTexts() {
        return Arbitraries.strings().withChars("ab").ofMaxLength(8);
    }

    private static void assertOrderedPairwise(List<? extends Version> sorted) {
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                assertThat(sorted.get(i).compareTo(sorted.get(j)))
                        .as("%s <= %s", sorted.get(i), sorted.get(j))
                        .isLessThanOrEqualTo(0);
            }
        }
    }

    private static SemVer withoutBuild(SemVer version) {
        return new SemVer(version.major(), version.minor(), version.patch(), version.prereleaseIdentifiers(),
                List.of());
    }
}
