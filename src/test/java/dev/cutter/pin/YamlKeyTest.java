package dev.cutter.pin;

import static dev.cutter.pin.Golden.applyOneLine;
import static dev.cutter.pin.Golden.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlKeyTest {
    /** Modelled on cloud-api-adaptor's src/cloud-api-adaptor/versions.yaml. */
    static final String VERSIONS = """
            # Copyright Confidential Containers Contributors
            #
            # SPDX-License-Identifier: Apache-2.0
            #
            # The versions of cloud-api-adaptor's dependencies
            ---
            cloudimg:
              ubuntu:
                amd64:
                  url: https://cloud-images.ubuntu.com/releases/jammy/release-20230107/ubuntu-22.04-server-cloudimg-amd64.img
                  checksum: "sha256:3b4ef3d6e5e5ffc8e4ea69e8b7d0b5e2a6d8e2f3f0c4c8b3b1c9d7e5a4b3c2d1"
            tools:
              bats: 1.10.0
              golang: 1.22.7
              protoc: 3.15.0
              packer: v1.9.4
              replicas: 3
            # Referenced Git repositories
            git:
              coco-operator:
                url: https://github.com/confidential-containers/operator
                reference: v0.10.0
                config: release
              kata-containers:
                url: https://github.com/kata-containers/kata-containers
                reference: 3.9.0   # the runtime go module follows this
              kbs:
                url: https://github.com/confidential-containers/trustee
                tag: 'v0.10.1'   # keep in sync with oci.guest-components
            oci:
              guest-components:
                registry: ghcr.io/confidential-containers/guest-components
                reference: 3df6c412059f29127715c3fdbaa5e3dc8e8e8e1c
              kata-containers:
                registry: ghcr.io/kata-containers/cached-artefacts
                reference: "3.9.0"
              pause:
                reference:
            labels: {app.kubernetes.io/version: v0.10.0, tier: "1"}
            mirrors: [quay.io, ghcr.io]
            """;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            oci.guest-components.reference | 8b4d2e3e7a86                 | ~    reference: 8b4d2e3e7a86~
            oci.guest-components.reference | 1234567                      | ~    reference: "1234567"~
            git.kbs.tag                    | v0.11.0                      | ~    tag: 'v0.11.0'   # keep in sync with oci.guest-components~
            git.kbs.tag                    | it's                         | ~    tag: 'it''s'   # keep in sync with oci.guest-components~
            git.coco-operator.reference    | v0.11.0                      | ~    reference: v0.11.0~
            git.kata-containers.reference  | 3.10.0                       | ~    reference: 3.10.0   # the runtime go module follows this~
            git.kata-containers.reference  | 3.10                         | ~    reference: "3.10"   # the runtime go module follows this~
            oci.kata-containers.reference  | 3.10.0                       | ~    reference: "3.10.0"~
            oci.kata-containers.reference  | say "hi"                     | ~    reference: "say \\"hi\\""~
            tools.golang                   | 1.23                         | ~  golang: "1.23"~
            tools.golang                   | yes                          | ~  golang: "yes"~
            tools.replicas                 | 4                            | ~  replicas: 4~
            tools.replicas                 | four                         | ~  replicas: four~
            oci.pause.reference            | 3.9                          | ~    reference: "3.9"~
            oci.pause.reference            | v3.9                         | ~    reference: v3.9~
            labels.app\\.kubernetes\\.io/version | v0.11.0               | ~labels: {app.kubernetes.io/version: v0.11.0, tier: "1"}~
            labels.app\\.kubernetes\\.io/version | a,b                   | ~labels: {app.kubernetes.io/version: "a,b", tier: "1"}~
            labels.tier                    | 2                            | ~labels: {app.kubernetes.io/version: v0.10.0, tier: "2"}~
            mirrors[1]                     | docker.io                    | ~mirrors: [quay.io, docker.io]~
            cloudimg.ubuntu.amd64.checksum | sha256:00                    | ~      checksum: "sha256:00"~
            """)
    void editsOneLineAndRevertsExactly(String path, String value, String line) {
        Pin pin = new Pin.YamlKey(path);
        PinEdit.Result result = applyOneLine(VERSIONS, pin, value, line);
        JsonNode expected = tree(VERSIONS);
        JsonNode actual = tree(result.text());
        if (!path.equals("tools.replicas") || !value.equals("4")) {
            assertThat(at(actual, path)).isEqualTo(TextNode.valueOf(value));
        }
        set(expected, path, at(actual, path));
        assertThat(actual).as("only the pinned value changed").isEqualTo(expected);
    }

    @Test
    void previousIsTheValueAndPreviousSourceTheCharacters() {
        PinEdit.Result result = PinEdit.apply(VERSIONS, new Pin.YamlKey("git.kbs.tag"), "v1");
        assertThat(result.previous()).isEqualTo("v0.10.1");
        assertThat(result.previousSource()).isEqualTo("'v0.10.1'");
        PinEdit.Result empty = PinEdit.apply(VERSIONS, new Pin.YamlKey("oci.pause.reference"), "v3.9");
        assertThat(empty.previous()).isEmpty();
        assertThat(empty.previousSource()).isEmpty();
    }

    @Test
    void sameValueChangesNothing() {
        for (String[] same : List.of(new String[] {"git.kbs.tag", "v0.10.1"}, new String[] {"oci.kata-containers.reference", "3.9.0"},
                new String[] {"tools.replicas", "3"}, new String[] {"tools.golang", "1.22.7"})) {
            PinEdit.Result result = PinEdit.apply(VERSIONS, new Pin.YamlKey(same[0]), same[1]);
            assertThat(result.changed()).as(same[0]).isFalse();
            assertThat(result.text()).isSameAs(VERSIONS);
        }
    }

    static List<String> awkwardValues() {
        return List.of("yes", "no", "on", "off", "y", "N", "true", "False", "~", "null", "NULL", "", "1.10", "1", "-1", "0x1F",
                "0o17", "017", "0b101", "1_000", "1e3", ".inf", "-.inf", ".nan", "12:30", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
                "a: b", "a #b", "a#b", "a:b", "*x", "&x", "!x", "!!str", "-", "- x", "-x", "--", "---", "...", "?x", "? x", ":x", "x:",
                "[x]", "{x}", "x,y", "%x", "@x", "`x", "'x", "\"x", "x'y", " lead", "trail ", "a\nb", "a\r\nb", "tab\there", "back\\slash",
                "<<", "=", "ü", "emoji 😀", "|x", ">x", "#x", ",x", "\u0085", "\u2028", "\ufeffbom", "\u0000nul", "\u007f", "é\u00a0x");
    }

    @ParameterizedTest
    @MethodSource("awkwardValues")
    void awkwardValuesReadBackAsTheExactString(String value) {
        for (String file : List.of("a:\n  b: plain # c\n", "a:\n  b: 'single'\n", "a:\n  b: \"double\"\n", "a: {b: flow, c: d}\n",
                "a: [x, {b: flow}]\n", "a:\n  b:\n")) {
            Pin pin = new Pin.YamlKey(file.startsWith("a: [") ? "a[1].b" : "a.b");
            PinEdit.Result result = PinEdit.apply(file, pin, value);
            JsonNode node = at(tree(result.text()), file.startsWith("a: [") ? "a[1].b" : "a.b");
            assertThat(node).as("%s in %s -> %s", value, file, result.text()).isEqualTo(TextNode.valueOf(value));
            assertThat(new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(result.text()).toString())
                    .as("SnakeYAML (YAML 1.1) reads a string too").contains(value.isEmpty() ? "b=" : "b=" + value);
            Golden.assertRevertsExactly(file, result, pin, value);
        }
    }

    @Test
    void crlfAndNoFinalNewlineAndBomAreKept() {
        String crlf = VERSIONS.replace("\n", "\r\n");
        PinEdit.Result result = applyOneLine(crlf, new Pin.YamlKey("git.kbs.tag"), "v0.11.0",
                "    tag: 'v0.11.0'   # keep in sync with oci.guest-components");
        assertThat(result.text()).doesNotContain("\n\n").contains("tag: 'v0.11.0'   # keep in sync with oci.guest-components\r\n");
        assertThat(result.text().replace("\r\n", "")).doesNotContain("\n");

        String last = "a:\n  b: v1";
        assertThat(applyOneLine(last, new Pin.YamlKey("a.b"), "v2", "  b: v2").text()).isEqualTo("a:\n  b: v2");
        String bom = "\ufeffa:\r\n  b: v1\r\n";
        assertThat(applyOneLine(bom, new Pin.YamlKey("a.b"), "v2", "  b: v2").text()).isEqualTo("\ufeffa:\r\n  b: v2\r\n");
        String emptyLast = "a:\n  b:";
        assertThat(applyOneLine(emptyLast, new Pin.YamlKey("a.b"), "v2", "  b: v2").text()).isEqualTo("a:\n  b: v2");
        String emptyComment = "a:\n  b:   # later\nc: 1\n";
        assertThat(applyOneLine(emptyComment, new Pin.YamlKey("a.b"), "v2", "  b: v2   # later").text())
                .isEqualTo("a:\n  b: v2   # later\nc: 1\n");
    }

    @Test
    void nonAsciiBeforeTheValueDoesNotShiftIt() {
        String text = "# 😀 emoji and ü before the value\na:\n  x: \"😀😀\"\n  b: v1 # ü\n";
        applyOneLine(text, new Pin.YamlKey("a.b"), "v2", "  b: v2 # ü");
    }

    @Test
    void taggedValueKeepsItsTag() {
        applyOneLine("a: !!str v1\n", new Pin.YamlKey("a"), "v2", "a: !!str v2");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> PinEdit.apply(VERSIONS, new Pin.YamlKey("oci.guest-component.reference"), "x"))
                .isInstanceOf(PinException.class).hasMessageContaining("no key 'guest-component' in 'oci' (line 30)")
                .hasMessageContaining("the deepest key found is 'oci'").hasMessageContaining("guest-components, kata-containers, pause")
                .hasMessageContaining("never create keys");
        assertThatThrownBy(() -> PinEdit.apply(VERSIONS, new Pin.YamlKey("nope.x"), "x"))
                .hasMessageContaining("no key 'nope' in the top level");
        assertThatThrownBy(() -> PinEdit.apply(VERSIONS, new Pin.YamlKey("git.kbs"), "x"))
                .hasMessageContaining("'git.kbs' (line 27) is a mapping, not a single value");
        assertThatThrownBy(() -> PinEdit.apply(VERSIONS, new Pin.YamlKey("git.kbs.tag.x"), "x"))
                .hasMessageContaining("is a scalar, not a mapping, so it has no key 'x'");
        assertThatThrownBy(() -> PinEdit.apply(VERSIONS, new Pin.YamlKey("mirrors[2]"), "x"))
                .hasMessageContaining("has 2 items, so it has no item [2]");
        assertThatThrownBy(() -> PinEdit.apply("a:\n  b: |\n    text\n", new Pin.YamlKey("a.b"), "x"))
                .hasMessageContaining("'a.b' (line 2) is a block scalar (|)");
        assertThatThrownBy(() -> PinEdit.apply("a: >-\n  text\n", new Pin.YamlKey("a"), "x"))
                .hasMessageContaining("is a block scalar (>)");
        assertThatThrownBy(() -> PinEdit.apply("a: &v v1\nb: *v\n", new Pin.YamlKey("b"), "x"))
                .hasMessageContaining("anchored as &v");
        assertThatThrownBy(() -> PinEdit.apply("a: 1\na: 2\n", new Pin.YamlKey("a"), "x"))
                .hasMessageContaining("key 'a' appears 2 times in the top level (lines 1, 2)");
        assertThatThrownBy(() -> PinEdit.apply("a: 1\n---\nb: 2\n", new Pin.YamlKey("a"), "x"))
                .hasMessageContaining("more than one YAML document (the second starts at line 3)");
        assertThatThrownBy(() -> PinEdit.apply("a: [1\n", new Pin.YamlKey("a"), "x"))
                .hasMessageContaining("not valid YAML at line");
        assertThatThrownBy(() -> PinEdit.apply("base: &b {t: 1}\nx:\n  <<: *b\n", new Pin.YamlKey("x.t"), "x"))
                .hasMessageContaining("keys merged in with << are not followed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".a", "a.", "a\\", "a[x]", "a[01]", "[0]", "a.[0]"})
    void malformedPathsAreRefused(String path) {
        assertThatThrownBy(() -> new Pin.YamlKey(path)).isInstanceOf(PinException.class).hasMessageStartingWith("yaml: ");
    }

    @Test
    void pathSyntax() {
        assertThat(YamlText.parsePath("a\\.b.c[0][1].d\\[x\\]\\\\")).containsExactly(new YamlText.Segment.Key("a.b"),
                new YamlText.Segment.Key("c"), new YamlText.Segment.Index(0), new YamlText.Segment.Index(1),
                new YamlText.Segment.Key("d[x]\\"));
    }

    /** The node at a path of the kind the tests use. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (YamlText.Segment s : YamlText.parsePath(path)) {
            node = switch (s) {
                case YamlText.Segment.Key(String key) -> node.get(key);
                case YamlText.Segment.Index(int index) -> node.get(index);
            };
        }
        return node;
    }

    static void set(JsonNode root, String path, JsonNode value) {
        List<YamlText.Segment> segments = YamlText.parsePath(path);
        JsonNode parent = at(root, String.join(".", segments.subList(0, segments.size() - 1).stream().map(s -> switch (s) {
            case YamlText.Segment.Key(String key) -> YamlText.escape(key);
            case YamlText.Segment.Index(int index) -> "[" + index + "]";
        }).toList()).replace(".[", "["));
        switch (segments.getLast()) {
            case YamlText.Segment.Key(String key) -> ((ObjectNode) parent).set(key, value);
            case YamlText.Segment.Index(int index) -> ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(index, value);
        }
    }

    @Test
    void aPlainDateStaysAPlainDateAsCitationCffWritesIt() {
        String cff = "cff-version: 1.2.0\ndate-released: 2024-06-14 # the day\nversion: \"0.9.0\"\n";
        PinEdit.Result date = PinEdit.apply(cff, new Pin.YamlKey("date-released"), "2026-01-02");
        org.assertj.core.api.Assertions.assertThat(date.text()).isEqualTo(cff.replace("2024-06-14", "2026-01-02"));
        org.assertj.core.api.Assertions.assertThat(PinEdit.apply(cff, new Pin.YamlKey("date-released"), "soon").text())
                .contains("date-released: soon # the day");
    }
}
