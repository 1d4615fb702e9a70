package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.spec.Template.TemplateSyntaxException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Filters on placeholders, so a seed's data file is used as it comes. */
class TemplateFilterTest {
    static String render(String source, Map<String, String> values) {
        return Template.literal(source).render(name -> Optional.ofNullable(values.get(name)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "{runtime|slug};15.4-lts",
            "{runtime|lower|replace(\" \", \"-\")};15.4-lts",
            "{runtime|upper};15.4 LTS",
            "{variant|trim(\".\")};ml",
            "python-{runtime|slug}{variant|trim(\".\")|replace(\"ml\", \"-ml\")};python-15.4-lts-ml",
            "{ runtime | slug };15.4-lts",
            "{padded|trim};x"})
    void theSeedsDataShapesRenderAsTagsWant(String source, String expected) {
        assertThat(render(source, Map.of("runtime", "15.4 LTS", "variant", ".ml", "padded", "  x  "))).isEqualTo(expected);
    }

    @Test
    void aSlugIsWhatAnImageTagCanHold() {
        assertThat(render("{name|slug}", Map.of("name", "  Ünïcode / Runtime: 17.3 LTS (beta)! "))).isEqualTo("n-code-runtime-17.3-lts-beta");
    }

    @Test
    void theFiltersOfAPlaceholderAreReadWithIt() {
        Template.Placeholder p = Template.literal("{vars.NAME|lower|trim(\"-\")}").placeholders().getFirst();
        assertThat(p.name()).isEqualTo("vars.NAME");
        assertThat(p.filters()).extracting(TemplateFilter::name).containsExactly("lower", "trim");
        assertThat(p.filtered("--ABC--")).isEqualTo("abc");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "x-{runtime|slugify};'slugify' is not a filter; the filters are lower, upper, slug",
            "{runtime|replace(\" \")};filter replace takes 2 arguments",
            "{runtime|replace(\"\", \"-\")};filter replace needs something to replace",
            "{runtime|trim(.)};arguments are quoted strings",
            "{runtime|lower(\"a\")};filter lower takes no arguments",
            "{runtime|replace(\" \", \"-\"};separated by ',' and closed by ')'"})
    void aWrongFilterIsAFaultAtItsPlaceholder(String source, String message) {
        assertThatThrownBy(() -> Template.literal(source)).isInstanceOf(TemplateSyntaxException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((TemplateSyntaxException) e).offset()).isEqualTo(source.indexOf('{')));
    }

    @Test
    void aFilterCannotMakeASecretReferenceOutOfAValue() {
        assertThatThrownBy(() -> render("{v|lower}", Map.of("v", "${ENV:HOME}")))
                .isInstanceOf(Template.UnsafeValueException.class);
    }

    @Test
    void aSpecWithAnUnknownFilterIsRefusedAtItsLineAndColumn() {
        var errors = SpecTexts.errors("""
                project: app
                archives:
                  - id: app
                    name: "app-{version|slugify}.tar.gz"
                    files: [ a.txt ]
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.location().line()).isEqualTo(4);
            assertThat(e.message()).contains("'slugify' is not a filter");
        });
    }
}
