package dev.cutter.pkg.deb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.DebFields.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Debian Policy §5.6's grammar for the fields that become pool paths. */
@org.junit.jupiter.api.Tag("security")
class DebFieldsTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"PACKAGE, hello", "PACKAGE, libc6", "PACKAGE, g++-12", "PACKAGE, python3.12", "SOURCE, gcc-defaults",
            "VERSION, 1.0", "VERSION, 1:2.3.4-1ubuntu0.1", "VERSION, 1.0~rc1+dfsg-2", "VERSION, 2:1.0:3-1",
            "ARCHITECTURE, amd64", "ARCHITECTURE, all", "ARCHITECTURE, musl-linux-arm64"})
    void acceptsWhatPolicyAllows(Field field, String value) {
        assertThat(DebFields.problem(field, value)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"PACKAGE, ../../tmp/x", "PACKAGE, x", "PACKAGE, Hello", "PACKAGE, .hidden", "PACKAGE, -x", "PACKAGE, a/b",
            "SOURCE, ../s", "SOURCE, ..", "VERSION, 1/../../x", "VERSION, abc", "VERSION, 1.0-", "VERSION, x:1.0",
            "VERSION, 1.0-a/b", "ARCHITECTURE, ../a", "ARCHITECTURE, AMD64", "ARCHITECTURE, -amd64", "ARCHITECTURE, x86_64"})
    void refusesWhatWouldLeaveThePoolOrBreaksPolicy(Field field, String value) {
        assertThat(DebFields.problem(field, value)).hasValueSatisfying(p -> assertThat(p).startsWith("'" + value + "' is not a Debian"));
    }

    @org.junit.jupiter.api.Test
    void aProblemNamesTheFieldAndThePolicySection() {
        assertThat(DebFields.fieldProblem(Field.PACKAGE, "../../tmp/x")).hasValue("control field Package: '../../tmp/x' is not a"
                + " Debian package name (Policy 5.6.7: lowercase letters, digits, + - ., two or more, starting with a letter or digit)");
    }
    /** The names' grammar is checked by hand (every package a repository reads passes it): exactly the Policy's patterns. */
    @org.junit.jupiter.api.Test
    void namesAndArchitecturesFollowThePolicyPatternsExactly() {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9+.-]+");
        java.util.regex.Pattern architecture = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]*");
        String alphabet = "az09+.-_/A \u00e9\n";
        java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of(""));
        for (int length = 1, from = 0; length <= 3; length++) {
            int to = values.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    values.add(values.get(i) + c);
                }
            }
            from = to;
        }
        int n = alphabet.length();
        assertThat(values).hasSize(1 + n + n * n + n * n * n);
        for (String v : values) {
            assertThat(DebFields.problem(Field.PACKAGE, v).isEmpty()).as("Package '%s'", v).isEqualTo(name.matcher(v).matches());
            assertThat(DebFields.problem(Field.SOURCE, v).isEmpty()).as("Source '%s'", v).isEqualTo(name.matcher(v).matches());
            assertThat(DebFields.problem(Field.ARCHITECTURE, v).isEmpty()).as("Architecture '%s'", v)
                    .isEqualTo(architecture.matcher(v).matches());
        }
    }
}
