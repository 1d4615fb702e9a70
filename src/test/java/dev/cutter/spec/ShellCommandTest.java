package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A placeholder's value in a command is data: whatever it holds, {@code /bin/sh} runs only what
 * the spec's author wrote. Each command shape is run by the real shell with hostile values.
 */
@org.junit.jupiter.api.Tag("security")
class ShellCommandTest {
    @TempDir
    Path dir;

    /** Values that would run {@code touch PWNED} if they were spliced into the command as text. */
    private static List<String> hostile(Path marker) {
        String touch = "touch " + marker;
        return List.of("$(" + touch + ")", "`" + touch + "`", "'; " + touch + "; '", "\"; " + touch + "; \"",
                "x\n" + touch + "\n", "x\nEOF\n" + touch + "\nEOF", "a b  c", "$HOME", "*", "", "'", "\\", "\\'\"",
                "$((1+1))", "${HOME}", "#" + touch, "a) " + touch + ";;", "}; " + touch + "; {", "\t-x -o /tmp/y");
    }

    /** Command shapes whose output is exactly the value (or what is said around it). */
    private record Shape(String template, String before, String after) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape("printf '%s' {v}", "", ""),
            new Shape("printf '%s' x{v}y", "x", "y"),
            new Shape("printf '%s' \"{v}\"", "", ""),
            new Shape("printf '%s' \"a {v} b\"", "a ", " b"),
            new Shape("printf '%s' '{v}'", "", ""),
            new Shape("printf '%s' 'a {v} b'", "a ", " b"),
            new Shape("printf '%s' \"$(printf '%s' {v})\"", "", ""),
            new Shape("printf '%s' \"$(printf '%s' \"{v}\")\"", "", ""),
            new Shape("x=$(printf '%s' '{v}'); printf '%s' \"$x\"", "", ""),
            new Shape("printf '%s' \"`printf '%s' {v}`\"", "", ""),
            new Shape("printf '%s' \"x$(printf '%s' '{v}')y\"", "x", "y"),
            new Shape("cat <<EOF\n{v}\nEOF", "", "\n"),
            new Shape("cat <<-EOF\n\t[{v}]\n\tEOF", "[", "]\n"),
            new Shape("# the value {v} in a comment\nprintf '%s' done", "", ""),
            new Shape("[ -n \"{v}\" ] || true; printf '%s' '{v}'", "", ""));

    @Test
    void noValueRunsInAnyShape() throws Exception {
        Path marker = dir.resolve("PWNED");
        List<String> wrong = new ArrayList<>();
        for (Shape shape : SHAPES) {
            for (String value : hostile(marker)) {
                Template template = Template.parse(shape.template(), Location.UNKNOWN, "builds[0].run");
                Template.ShellCommand command = template.renderCommand(name -> Optional.of(value));
                String out = sh(command);
                assertThat(marker).as("%s with %s ran %s", shape.template(), value, command.text()).doesNotExist();
                String expected = shape.template().startsWith("#") ? "done"
                        : shape.template().contains("$(") || shape.template().contains("`")
                        ? shape.before() + value.replaceAll("\n+$", "") + shape.after() // substitutions drop trailing newlines
                        : shape.before() + value + shape.after();
                if (!out.equals(expected)) {
                    wrong.add(shape.template() + " with [" + value + "] printed [" + out + "] from " + command);
                }
            }
        }
        assertThat(wrong).as("values that did not arrive whole").isEmpty();
    }

    @Test
    void plainWordsAreWrittenAsTheyAreSoPlansStayReadable() {
        Template template = Template.parse("go build -tags \"{a}\" -o dist/{b}/app-{c}", Location.UNKNOWN, "run");
        Map<String, String> values = Map.of("a", "otlp", "b", "arm64", "c", "1.2.3-rc.1+build.5");

        Template.ShellCommand command = template.renderCommand(name -> Optional.ofNullable(values.get(name)));

        assertThat(command.text()).isEqualTo("go build -tags \"otlp\" -o dist/arm64/app-1.2.3-rc.1+build.5");
        assertThat(command.env()).isEmpty();
    }

    @Test
    void anyOtherValueTravelsInAnEnvironmentVariableTheCommandExpands() {
        Template template = Template.parse("go build -tags \"{vars.TAGS}\" {vars.FLAGS} '{vars.NOTE}'", Location.UNKNOWN, "run");
        Map<String, String> values = Map.of("vars.TAGS", "otlp zstd", "vars.FLAGS", "$(id > /tmp/x)", "vars.NOTE", "it's");

        Template.ShellCommand command = template.renderCommand(name -> Optional.ofNullable(values.get(name)));

        assertThat(command.text()).isEqualTo("go build -tags \"${CUTTER_VALUE_VARS_TAGS}\" \"${CUTTER_VALUE_VARS_FLAGS}\" "
                + "''\"${CUTTER_VALUE_VARS_NOTE}\"''");
        assertThat(command.env()).containsExactlyInAnyOrderEntriesOf(Map.of("CUTTER_VALUE_VARS_TAGS", "otlp zstd",
                "CUTTER_VALUE_VARS_FLAGS", "$(id > /tmp/x)", "CUTTER_VALUE_VARS_NOTE", "it's"));
    }

    @Test
    void anEmptyValueOutsideQuotesIsOneEmptyWord() throws Exception {
        Template template = Template.parse("printf '[%s]' {v} x", Location.UNKNOWN, "run");

        Template.ShellCommand command = template.renderCommand(name -> Optional.of(""));

        assertThat(command.text()).isEqualTo("printf '[%s]' '' x");
        assertThat(sh(command)).isEqualTo("[][x]");
    }

    @Test
    void aValueThatCannotBeDataWhereItStandsIsRefused() {
        Template quotedHeredoc = Template.parse("cat <<'EOF'\n{v}\nEOF", Location.UNKNOWN, "run");
        Template arithmetic = Template.parse("echo $(( {v} + 1 ))", Location.UNKNOWN, "run");

        assertThatThrownBy(() -> quotedHeredoc.renderCommand(name -> Optional.of("a b")))
                .isInstanceOf(Template.UnsafeValueException.class).hasMessageContaining("quoted delimiter");
        assertThatThrownBy(() -> arithmetic.renderCommand(name -> Optional.of("a[$(id)]")))
                .isInstanceOf(Template.UnsafeValueException.class).hasMessageContaining("$((");
        assertThat(arithmetic.renderCommand(name -> Optional.of("41")).text()).isEqualTo("echo $(( 41 + 1 ))");
    }

    @Test
    void aValueHoldingASecretReferenceIsRefusedEverywhere() {
        Template command = Template.parse("echo {vars.X}", Location.UNKNOWN, "run");
        Template label = Template.parse("v{vars.X}", Location.UNKNOWN, "labels.a");

        assertThatThrownBy(() -> command.renderCommand(name -> Optional.of("${env:HOOK_SECRET}")))
                .isInstanceOf(Template.UnsafeValueException.class).hasMessageContaining("secret reference");
        assertThatThrownBy(() -> label.render(name -> Optional.of("x${file:/etc/shadow}")))
                .isInstanceOf(Template.UnsafeValueException.class).hasMessageContaining("secret reference");
    }

    private String sh(Template.ShellCommand command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command.text()).directory(dir.toFile());
        pb.environment().putAll(command.env());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }
}
