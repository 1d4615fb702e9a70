package dev.cutter.pin;

import java.util.Objects;

/**
 * Applies and reverts pins on file contents: pure functions from text to text, no I/O.
 *
 * <p>Only the pinned value's characters change; everything else — comments, key order, indentation,
 * quoting of other values, line endings (CRLF stays CRLF), a byte-order mark, a final newline or its
 * absence — is kept byte for byte. The one exception is a kustomize image without the field to set,
 * where one line is added. Every edit is idempotent: applying a pin whose value is already there returns
 * {@code changed == false} and the same text.
 *
 * <p>{@link #revert} is the inverse edit: it finds the pinned value again (the rest of the file may have
 * changed meanwhile), checks it still holds the pinned value, and puts back the exact characters the
 * edit replaced ({@link Result#previousSource}). Applying a pin to a file and reverting it gives the
 * original text exactly.
 *
 * <p>Problems — a key, module or image that is not there, a value that is not valid for the kind, a
 * construct that cannot be edited in place — throw {@link PinException} with a message that says where
 * and what to do. Kinds:
 * <ul>
 *   <li>{@link Pin.YamlKey}: see {@link Pin.YamlKey} for the path syntax. The new value is written in
 *       the old value's quote style; a plain old value stays plain when the new one reads back as the
 *       same string (under YAML 1.1 and 1.2 resolvers and go-yaml), else it is double-quoted, so
 *       {@code yes}, {@code 1.10}, {@code 0x1F}, {@code a: b}, {@code *x} become {@code "yes"} and so on.
 *       Type is kept: an old plain int, float, date ({@code 2024-06-14}) or {@code true}/{@code false} stays plain when the new
 *       value is a decimal of the same type ({@code replicas: 3} → {@code replicas: 4}). An empty value
 *       ({@code key:}) is filled in. Flow collections ({@code {a: b}}, {@code [a, b]}) are supported;
 *       block scalars ({@code |}, {@code >}), anchored values and keys that are missing are refused.
 *       The file must hold one YAML document.</li>
 *   <li>{@link Pin.GoRequire}: the version in {@code require module vX} or in a {@code require ( … )}
 *       block; a trailing comment such as {@code // indirect} and its column (when it was padded to a
 *       column) are kept. The value must be a canonical Go module version ({@code v1.2.3},
 *       {@code v1.2.3-rc.1}, a pseudo-version, {@code v2.0.0+incompatible}) whose major version fits the
 *       module path ({@code /v2} suffix, {@code gopkg.in/x.v2}). Refused, because the edit would not
 *       change what builds or would not build: a {@code replace} of the module (for all versions, or for
 *       the old or new version) — pin the replacement instead (a regex pin) or drop the replace — and an
 *       {@code exclude} of the new version. {@code go.sum} is not touched: run {@code go mod tidy}
 *       (or {@code go mod download}) after pinning, before building.</li>
 *   <li>{@link Pin.KustomizeImage}: {@code newTag} (a Docker tag: {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}})
 *       or {@code digest} ({@code sha256:} and 64 lowercase hex digits) of the {@code images:} entry with
 *       that {@code name}, always written as a YAML string ({@code newTag: "1.10"}). A missing field is
 *       added as the entry's last key, at its indentation (in a flow entry, before the closing brace);
 *       reverting removes it again. Nothing else is removed: with both {@code newTag} and {@code digest}
 *       kustomize (v4.5.2 and later) writes {@code name:tag@digest} and the runtime pulls by digest, so a
 *       digest pin decides the image while the tag stays as a readable hint.</li>
 *   <li>{@link Pin.JsonKey}: see {@link JsonEdit}.</li>
 *   <li>{@link Pin.TomlKey}: see {@link TomlEdit}.</li>
 *   <li>{@link Pin.Regex}: see {@link Pin.Regex}; it must match exactly once, and {@link Result#previous}
 *       is the whole text matched.</li>
 * </ul>
 */
public final class PinEdit {
    private PinEdit() {}

    /**
     * The outcome of an edit.
     *
     * @param text the new file contents (the same string when nothing changed)
     * @param previous the value before the edit, as the file's reader sees it (for a YAML scalar its
     *     unquoted value; for a regex the whole match); {@code null} when a kustomize field was absent
     * @param changed whether {@code text} differs from the input
     * @param previousSource the exact characters the edit replaced, as written in the file (quotes,
     *     escapes, padding included); {@code null} when a kustomize field was added. Keep it with the
     *     edit: {@link #revert} puts it back.
     */
    public record Result(String text, String previous, boolean changed, String previousSource) {
        public Result {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Sets the value {@code pin} points at in {@code text} to {@code value}. */
    public static Result apply(String text, Pin pin, String value) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(value, "value");
        return switch (pin) {
            case Pin.YamlKey yaml -> YamlEdit.apply(text, yaml, value);
            case Pin.JsonKey json -> JsonEdit.apply(text, json, value);
            case Pin.TomlKey toml -> TomlEdit.apply(text, toml, value);
            case Pin.KustomizeImage image -> KustomizeEdit.apply(text, image, value);
            case Pin.GoRequire require -> GoModEdit.apply(text, require, value);
            case Pin.Regex regex -> RegexEdit.apply(text, regex, value);
        };
    }

    /**
     * Undoes an {@link #apply} of {@code pin} with {@code value} whose result had {@code previous} and
     * {@code previousSource}: finds the pinned value in {@code text} (which may have other changes), checks
     * it is still {@code value}, and writes {@code previousSource} back in its place (or removes a field
     * the edit added). If the file already holds {@code previous} there, nothing changes (reverting twice
     * is harmless). If the value was changed since, throws rather than overwrite someone else's change.
     *
     * @return the reverted text; its {@code previous}/{@code previousSource} describe what was there
     *     (the pinned value)
     */
    public static Result revert(String text, Pin pin, String value, String previous, String previousSource) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(value, "value");
        if ((previous == null) != (previousSource == null)) {
            throw new IllegalArgumentException("previous and previousSource are both null (an added field) or both set");
        }
        return switch (pin) {
            case Pin.YamlKey yaml -> YamlEdit.revert(text, yaml, value, previous, previousSource);
            case Pin.JsonKey json -> JsonEdit.revert(text, json, value, previous, previousSource);
            case Pin.TomlKey toml -> TomlEdit.revert(text, toml, value, previous, previousSource);
            case Pin.KustomizeImage image -> KustomizeEdit.revert(text, image, value, previous, previousSource);
            case Pin.GoRequire require -> GoModEdit.revert(text, require, value, previous, previousSource);
            case Pin.Regex regex -> RegexEdit.revert(text, regex, value, previous, previousSource);
        };
    }

    static PinException changedSince(String what, String where, String now, String value) {
        return new PinException(what + ": cannot revert: " + where + " is now " + show(now) + ", not the pinned " + show(value)
                + "; it was changed after the pin, so it is left alone — revert it by hand if needed");
    }

    static String show(String value) {
        return value == null ? "(absent)" : "'" + value + "'";
    }
}
