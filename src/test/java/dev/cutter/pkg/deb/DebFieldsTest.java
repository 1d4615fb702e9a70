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
}
