package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.spec.Template.Literal;
import dev.cutter.spec.Template.Placeholder;
import dev.cutter.spec.Template.SecretRef;
import dev.cutter.spec.Template.TemplateSyntaxException;
import dev.cutter.spec.Template.UnresolvedPlaceholderException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code {placeholder}} syntax of spec strings: parsing, escapes, secrets and rendering. */
class TemplateTest {
    private static final Location AT = new Location(4, 11);

    private static Template parse(String source) {
        return Template.parse(source, AT, "builds[0].run");
    }

    private static final Template.Scope VALUES = name -> Optional.ofNullable(Map.of(
            "version", "1.2.3", "platform.arch", "arm64", "platform", "linux/arm64", "vars.TAGS", "otlp zstd").get(name));

    @Test
    void placeholdersAreFoundWithTheirOffsets() {
        Template template = parse("dist/{platform.arch}/app-{version}");

        assertThat(template.placeholders()).extracting(Placeholder::name, Placeholder::offset)
                .containsExactly(tuple("platform.arch", 5), tuple("version", 25));
        assertThat(template.parts()).containsExactly(new Literal("dist/"), new Placeholder("platform.arch", 5),
                new Literal("/app-"), new Placeholder("version", 25));
    }

    @Test
    void aPlaceholderHasAHeadAndAnOptionalField() {
        Placeholder axis = new Placeholder("variant.suffix", 0);
        Placeholder global = new Placeholder("version", 0);

        assertThat(axis.head()).isEqualTo("variant");
        assertThat(axis.field()).contains("suffix");
        assertThat(global.head()).isEqualTo("version");
        assertThat(global.field()).isEmpty();
        assertThat(new Placeholder("vars.A.B", 0).field()).contains("A.B");
    }

    @Test
    void spacesInsideBracesAreIgnored() {
        assertThat(parse("v{ version }").placeholders()).extracting(Placeholder::name).containsExactly("version");
    }

    @Test
    void rendersEachPlaceholderFromTheScope() {
        assertThat(parse("go build -tags \"{vars.TAGS}\" -o dist/{platform.arch}/app-{version}").render(VALUES))
                .isEqualTo("go build -tags \"otlp zstd\" -o dist/arm64/app-1.2.3");
    }

    @Test
    void rendersFromACell() {
        Cell cell = new Cell(Map.of("platform", Platforms.value("linux/arm/v7")));

        assertThat(parse("{platform.os}-{platform.arch}{platform.variant} ({platform})").render(cell::lookup))
                .isEqualTo("linux-armv7 (linux/arm/v7)");
    }

    @Test
    void doubledBracesAreLiteralBraces() {
        Template template = parse("docker inspect --format '{{{{.Id}}}}' app:{{{version}}}");

        assertThat(template.placeholders()).extracting(Placeholder::name).containsExactly("version");
        assertThat(template.render(VALUES)).isEqualTo("docker inspect --format '{{.Id}}' app:{1.2.3}");
    }

    @Test
    void envAndFileSecretsAreKeptAsWrittenOnRender() {
        Template template = parse("login -u bot -p ${env:REGISTRY_PASSWORD} --key ${file:keys/release.asc} {version}");

        assertThat(template.hasSecret()).isTrue();
        assertThat(template.parts()).filteredOn(SecretRef.class::isInstance)
                .containsExactly(new SecretRef("env", "REGISTRY_PASSWORD"), new SecretRef("file", "keys/release.asc"));
        assertThat(template.placeholders()).extracting(Placeholder::name).containsExactly("version");
        assertThat(template.render(VALUES))
                .isEqualTo("login -u bot -p ${env:REGISTRY_PASSWORD} --key ${file:keys/release.asc} 1.2.3");
        assertThat(new SecretRef("env", "X").written()).isEqualTo("${env:X}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            echo ${HOME}/bin                 | echo ${HOME}/bin
            cp a ${DEST:-/tmp}               | cp a ${DEST:-/tmp}
            echo $HOME {version}             | echo $HOME 1.2.3
            echo ${PATH} ${env:TOKEN}        | echo ${PATH} ${env:TOKEN}
            price: 5$                        | price: 5$
            """)
    void shellVariablesAreLeftLiteral(String source, String rendered) {
        Template template = parse(source);

        assertThat(template.render(VALUES)).isEqualTo(rendered);
        assertThat(template.placeholders()).allSatisfy(p -> assertThat(p.name()).isEqualTo("version"));
    }

    @Test
    void aShellVariableIsNeitherAPlaceholderNorASecret() {
        Template template = parse("echo ${HOME}");

        assertThat(template.placeholders()).isEmpty();
        assertThat(template.hasSecret()).isFalse();
        assertThat(template.parts()).containsExactly(new Literal("echo ${HOME}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            echo {version                | 5  | unclosed '{'; close the placeholder with '}' or write '{{' for a literal brace
            echo version}                | 12 | unmatched '}'; write '}}' for a literal brace
            a {{b} c}                    | 5  | unmatched '}'; write '}}' for a literal brace
            echo {}                      | 5  | '{}' is not a placeholder name; write {version}, {vars.NAME}, {platform.arch}… or '{{' for a literal brace
            echo {1st}                   | 5  | '{1st}' is not a placeholder name; write {version}, {vars.NAME}, {platform.arch}… or '{{' for a literal brace
            echo {a b}                   | 5  | '{a b}' is not a placeholder name; write {version}, {vars.NAME}, {platform.arch}… or '{{' for a literal brace
            token ${env:}                | 6  | ${env:} names nothing; write ${env:NAME}
            key ${file:}                 | 4  | ${file:} names nothing; write ${file:path/to/file}
            """)
    void malformedBracesAreSyntaxErrorsAtTheirOffset(String source, int offset, String message) {
        assertThatThrownBy(() -> parse(source)).isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
            assertThat(e.offset()).isEqualTo(offset);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void renderingAPlaceholderTheScopeDoesNotKnowFailsNamingIt() {
        Template template = parse("{version}-{flavor}");

        assertThatThrownBy(() -> template.render(VALUES)).isInstanceOfSatisfying(UnresolvedPlaceholderException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("{flavor} has no value here");
            assertThat(e.placeholder()).isEqualTo(new Placeholder("flavor", 10));
            assertThat(e.template()).isSameAs(template);
        });
    }

    @Test
    void anEmptyValueRendersAsNothing() {
        assertThat(parse("latest{suffix}").render(name -> Optional.of(""))).isEqualTo("latest");
    }

    @Test
    void locationOfAnOffsetIsOnTheSameLineShiftedByTheOffset() {
        Template template = parse("echo {verison}");

        assertThat(template.locationOf(5)).isEqualTo(new Location(4, 16));
        assertThat(template.locationOf(0)).isEqualTo(AT);
    }

    @Test
    void locationOfATemplateWithoutAPlaceIsUnknown() {
        Template template = Template.literal("a {version}");

        assertThat(template.location()).isEqualTo(Location.UNKNOWN);
        assertThat(template.locationOf(2)).isEqualTo(Location.UNKNOWN);
        assertThat(template.path()).isEmpty();
    }

    @Test
    void mentionsMatchesAPlaceholderByNameOrHead() {
        Template template = parse("{major}.{minor}{variant.suffix}");

        assertThat(template.mentions("major")).isTrue();
        assertThat(template.mentions("variant")).isTrue();
        assertThat(template.mentions("variant.suffix")).isTrue();
        assertThat(template.mentions("version")).isFalse();
        assertThat(template.mentions("suffix")).isFalse();
    }

    @Test
    void aTemplateKeepsItsSourceAndPrintsAsIt() {
        Template template = parse("v{version}");

        assertThat(template.source()).isEqualTo("v{version}");
        assertThat(template).hasToString("v{version}");
        assertThat(template.path()).isEqualTo("builds[0].run");
        assertThat(template.location()).isEqualTo(AT);
    }

    @Test
    void anEmptyTemplateHasNoPartsAndRendersEmpty() {
        Template template = parse("");

        assertThat(template.parts()).isEmpty();
        assertThat(template.render(VALUES)).isEmpty();
    }
}
