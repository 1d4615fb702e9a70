package dev.cutter.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.spec.DateFormat;
import org.junit.jupiter.api.Test;

/** JSON and TOML keys set in place, the rest of the file byte for byte, and reverted exactly. */
class JsonAndTomlKeyTest {
    static final String PACKAGE_JSON = """
            {
              "name": "operator-config",
              "version": "0.9.0",
              "replicas": 2,
              "images": [ { "ref": "quay.io/x/op", "tag": "latest" } ],
              "nested": {"pinned": false}
            }
            """;

    static final String CARGO_TOML = """
            # the agent's manifest
            [package]
            name = "kata-agent"
            version = "3.5.0"   # bumped at release

            [dependencies]
            image-rs = { git = "https://github.com/confidential-containers/guest-components", tag = "v0.9.0" }
            kbs = 'v0.9.0'
            description = \"""
            version = "not a key"
            \"""

            [dependencies.guest]
            reference = "main"
            count = 3

            [[bin]]
            version = "array tables are never matched"
            """;

    @Test
    void aJsonStringNumberAndArrayItemAreSetInPlaceAndReverted() {
        PinEdit.Result version = PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("version"), "0.10.0");
        assertThat(version.text()).isEqualTo(PACKAGE_JSON.replace("\"0.9.0\"", "\"0.10.0\""));
        assertThat(version.previous()).isEqualTo("0.9.0");

        PinEdit.Result tag = PinEdit.apply(version.text(), new Pin.JsonKey("images[0].tag"), "v1 \"q\"");
        assertThat(tag.text()).contains("\"tag\": \"v1 \\\"q\\\"\" }");

        PinEdit.Result replicas = PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("replicas"), "3");
        assertThat(replicas.text()).contains("\"replicas\": 3,");
        assertThat(PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("replicas"), "three").text()).contains("\"replicas\": \"three\",");
        assertThat(PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("nested.pinned"), "true").text()).contains("{\"pinned\": true}");

        PinEdit.Result back = PinEdit.revert(version.text(), new Pin.JsonKey("version"), "0.10.0", version.previous(), version.previousSource());
        assertThat(back.text()).isEqualTo(PACKAGE_JSON);
        assertThat(PinEdit.apply(version.text(), new Pin.JsonKey("version"), "0.10.0").changed()).isFalse();
    }

    @Test
    void aMissingJsonKeyOrAnObjectIsRefusedSayingWhere() {
        assertThatThrownBy(() -> PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("nested.absent"), "x"))
                .isInstanceOf(PinException.class).hasMessageContaining("'nested' has no key 'absent'");
        assertThatThrownBy(() -> PinEdit.apply(PACKAGE_JSON, new Pin.JsonKey("nested"), "x"))
                .isInstanceOf(PinException.class).hasMessageContaining("not a single value");
        assertThatThrownBy(() -> PinEdit.apply("{\"a\": ", new Pin.JsonKey("a"), "x"))
                .isInstanceOf(PinException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void aTomlKeyInATableIsSetKeepingCommentsQuotingAndAlignment() {
        PinEdit.Result version = PinEdit.apply(CARGO_TOML, new Pin.TomlKey("package.version"), "3.6.0");
        assertThat(version.text()).isEqualTo(CARGO_TOML.replace("version = \"3.5.0\"   # bumped", "version = \"3.6.0\"   # bumped"));

        PinEdit.Result kbs = PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.kbs"), "v0.10.1");
        assertThat(kbs.text()).contains("kbs = 'v0.10.1'\n");
        assertThat(PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.guest.reference"), "v0.10.0").text())
                .contains("reference = \"v0.10.0\"\n");
        assertThat(PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.guest.count"), "4").text()).contains("count = 4\n");
        assertThat(PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.kbs"), "it's").text()).contains("kbs = \"it's\"\n");

        PinEdit.Result back = PinEdit.revert(version.text(), new Pin.TomlKey("package.version"), "3.6.0", version.previous(),
                version.previousSource());
        assertThat(back.text()).isEqualTo(CARGO_TOML);
    }

    @Test
    void aTomlKeyThatIsMissingOrNotAOneLineValueIsRefused() {
        assertThatThrownBy(() -> PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.version"), "1"))
                .isInstanceOf(PinException.class).hasMessageContaining("no line 'version = …' in table [dependencies]");
        assertThatThrownBy(() -> PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.image-rs"), "1"))
                .isInstanceOf(PinException.class).hasMessageContaining("inline table");
        assertThatThrownBy(() -> PinEdit.apply(CARGO_TOML, new Pin.TomlKey("dependencies.description"), "1"))
                .isInstanceOf(PinException.class).hasMessageContaining("multi-line string");
    }

    @Test
    void aDateFormatWritesTheReleaseDayAndABadOneSaysWhy() {
        assertThat(DateFormat.format("20240614", "yyyy-MM-dd")).isEqualTo("2024-06-14");
        assertThat(DateFormat.problem("yyyy-MM-dd")).isEmpty();
        assertThat(DateFormat.problem("yyyy-MM-dd HH:mm")).get().asString().contains("more than a date");
        assertThat(DateFormat.problem("yyyy-bb")).get().asString().contains("not a date format");
    }
}
