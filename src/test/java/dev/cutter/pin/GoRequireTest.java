package dev.cutter.pin;

import static dev.cutter.pin.Golden.applyOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoRequireTest {
    static final String KATA = "github.com/kata-containers/kata-containers/src/runtime";
    /** Modelled on cloud-api-adaptor's src/cloud-api-adaptor/go.mod. */
    static final String GO_MOD = """
            module github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor

            go 1.22.7

            require (
            \tgithub.com/BurntSushi/toml v1.3.2
            \tgithub.com/confidential-containers/cloud-api-adaptor/src/cloud-providers v0.8.2
            \tgithub.com/containerd/containerd v1.7.16
            \tgithub.com/kata-containers/kata-containers/src/runtime v0.0.0-20240916082048-8b4d2e3e7a86
            \tk8s.io/api v0.29.4
            )

            require (
            \tgithub.com/beorn7/perks v1.0.1 // indirect
            \tgithub.com/golang/protobuf v1.5.4 // indirect
            \tgopkg.in/yaml.v3 v3.0.1 // indirect
            \tgithub.com/aligned/mod v1.2.3     // indirect
            \tgithub.com/example/lib/v2 v2.1.0 // indirect
            )

            require github.com/stretchr/testify v1.9.0 // tests

            require "github.com/quoted/mod" v0.1.0

            replace github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers => ../cloud-providers

            replace (
            \tgithub.com/golang/protobuf v1.5.4 => github.com/golang/protobuf v1.5.3
            )

            exclude k8s.io/api v0.30.0
            """;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            github.com/kata-containers/kata-containers/src/runtime | v0.0.0-20241001093015-4d2e3e7a86b8 | ~\tgithub.com/kata-containers/kata-containers/src/runtime v0.0.0-20241001093015-4d2e3e7a86b8~
            github.com/kata-containers/kata-containers/src/runtime | v1.0.0-rc.1                       | ~\tgithub.com/kata-containers/kata-containers/src/runtime v1.0.0-rc.1~
            github.com/beorn7/perks                                | v1.0.2                            | ~\tgithub.com/beorn7/perks v1.0.2 // indirect~
            gopkg.in/yaml.v3                                       | v3.0.2                            | ~\tgopkg.in/yaml.v3 v3.0.2 // indirect~
            github.com/aligned/mod                                 | v1.2.30                           | ~\tgithub.com/aligned/mod v1.2.30    // indirect~
            github.com/aligned/mod                                 | v1.2.3000000                      | ~\tgithub.com/aligned/mod v1.2.3000000 // indirect~
            github.com/example/lib/v2                              | v2.2.0                            | ~\tgithub.com/example/lib/v2 v2.2.0 // indirect~
            github.com/stretchr/testify                            | v1.10.0                           | ~require github.com/stretchr/testify v1.10.0 // tests~
            github.com/quoted/mod                                  | v0.2.0                            | ~require "github.com/quoted/mod" v0.2.0~
            github.com/BurntSushi/toml                             | v2.0.0+incompatible               | ~\tgithub.com/BurntSushi/toml v2.0.0+incompatible~
            """)
    void editsTheVersionOnlyAndRevertsExactly(String module, String version, String line) {
        Pin pin = new Pin.GoRequire(module);
        PinEdit.Result result = applyOneLine(GO_MOD, pin, version, line);
        assertThat(result.previous()).matches("v\\S+");
    }

    @Test
    void alignedCommentKeepsItsColumn() {
        PinEdit.Result result = PinEdit.apply(GO_MOD, new Pin.GoRequire("github.com/aligned/mod"), "v1.2.30");
        assertThat(result.text()).contains("\tgithub.com/aligned/mod v1.2.30    // indirect\n");
        assertThat(result.previousSource()).isEqualTo("v1.2.3     ");
    }

    @Test
    void crlfAndNoFinalNewline() {
        String crlf = GO_MOD.replace("\n", "\r\n");
        PinEdit.Result result = applyOneLine(crlf, new Pin.GoRequire(KATA), "v0.0.0-20241001093015-4d2e3e7a86b8",
                "\tgithub.com/kata-containers/kata-containers/src/runtime v0.0.0-20241001093015-4d2e3e7a86b8");
        assertThat(result.text()).contains("4d2e3e7a86b8\r\n");
        String bare = "module m\n\nrequire x.io/y v1.0.0";
        assertThat(applyOneLine(bare, new Pin.GoRequire("x.io/y"), "v1.1.0", "require x.io/y v1.1.0").text())
                .isEqualTo("module m\n\nrequire x.io/y v1.1.0");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            github.com/kata-containers/kata-containers/src/runtime | 3.6.0          | Go module versions start with v: v3.6.0
            github.com/kata-containers/kata-containers/src/runtime | v3.6.0         | without a /v3 suffix the module takes only v0 and v1 versions
            github.com/kata-containers/kata-containers/src/runtime | v1.2           | give all three numbers
            github.com/kata-containers/kata-containers/src/runtime | v1.2.3+build.5 | no build metadata except +incompatible
            github.com/kata-containers/kata-containers/src/runtime | latest         | is not a valid Go module version
            github.com/kata-containers/kata-containers/src/runtime | v01.2.3        | is not a valid Go module version
            github.com/kata-containers/kata-containers/src/runtime | v1.2.3-01      | is not a valid Go module version
            github.com/kata-containers/kata-containers/src/runtime | v1.2.3+incompatible | +incompatible goes with major versions 2 and above
            gopkg.in/yaml.v3                                       | v2.0.0         | takes v3.x.y versions
            github.com/example/lib/v2                              | v3.0.0         | takes v2.x.y versions
            github.com/example/lib/v2                              | v2.0.0+incompatible | takes v2.x.y versions
            github.com/example/lib                                 | v99999999999.0.0 | a major version of 11 digits
            github.com/example/lib/v99999999999                    | v2.0.0         | takes v99999999999.x.y versions
            github.com/not/required                                | v1.0.0         | the module is not required in this go.mod; add it with `go get github.com/not/required@<version>` first
            github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor | v1.0.0 | own module
            github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers | v0.9.0 | the module is replaced at line 25
            github.com/golang/protobuf                             | v1.5.5         | the module is replaced at line 28
            k8s.io/api                                             | v0.30.0        | v0.30.0 is excluded at line 31
            """)
    void refusesWithAClearMessage(String module, String version, String message) {
        assertThatThrownBy(() -> PinEdit.apply(GO_MOD, new Pin.GoRequire(module), version)).isInstanceOf(PinException.class)
                .hasMessageStartingWith("go-require " + module + ": ").hasMessageContaining(message);
    }

    @Test
    void aVersionedReplaceOfAnotherVersionDoesNotApply() {
        String text = "module m\n\nrequire a.io/b v1.0.0\n\nreplace a.io/b v0.9.0 => ../b\n";
        assertThatCode(() -> PinEdit.apply(text, new Pin.GoRequire("a.io/b"), "v1.1.0")).doesNotThrowAnyException();
    }

    @Test
    void revertKeepsOtherChangesAndRefusesAChangedVersion() {
        Pin pin = new Pin.GoRequire(KATA);
        PinEdit.Result pinned = PinEdit.apply(GO_MOD, pin, "v0.0.0-20241001093015-4d2e3e7a86b8");
        String other = pinned.text().replace("k8s.io/api v0.29.4", "k8s.io/api v0.29.5");
        PinEdit.Result reverted = PinEdit.revert(other, pin, "v0.0.0-20241001093015-4d2e3e7a86b8", pinned.previous(),
                pinned.previousSource());
        assertThat(reverted.text()).isEqualTo(GO_MOD.replace("k8s.io/api v0.29.4", "k8s.io/api v0.29.5"));
        String bumped = pinned.text().replace("v0.0.0-20241001093015-4d2e3e7a86b8", "v0.0.0-20241101000000-aaaaaaaaaaaa");
        assertThatThrownBy(() -> PinEdit.revert(bumped, pin, "v0.0.0-20241001093015-4d2e3e7a86b8", pinned.previous(),
                pinned.previousSource())).isInstanceOf(PinException.class)
                .hasMessageContaining("is now 'v0.0.0-20241101000000-aaaaaaaaaaaa', not the pinned 'v0.0.0-20241001093015-4d2e3e7a86b8'");
    }

    @Test
    void twoRequiresOfOneModuleAreRefused() {
        String text = "module m\nrequire a.io/b v1.0.0\nrequire (\n\ta.io/b v1.1.0\n)\n";
        assertThatThrownBy(() -> PinEdit.apply(text, new Pin.GoRequire("a.io/b"), "v1.2.0"))
                .hasMessageContaining("required 2 times (lines 2, 4)");
    }
}
