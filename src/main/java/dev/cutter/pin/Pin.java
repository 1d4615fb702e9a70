package dev.cutter.pin;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What to edit in a file: one value, found by kind. Records are validated on construction, so a
 * {@code Pin} that exists is well formed (the file may still not contain it).
 */
public sealed interface Pin {

    /**
     * A scalar in a YAML document, by a dotted key path such as {@code oci.guest-components.reference}.
     *
     * <p>Each segment is a mapping key, compared with the key's YAML value (so {@code "tag": v1} matches
     * {@code tag}). A segment may end in {@code [N]} to pick the N-th item (0-based) of a sequence, e.g.
     * {@code images[0].newTag}. In a key, {@code \.} stands for a literal dot, {@code \[} for a literal
     * bracket and {@code \\} for a backslash: {@code metadata.labels.app\.kubernetes\.io/version}.
     */
    record YamlKey(String dottedPath) implements Pin {
        public YamlKey {
            Objects.requireNonNull(dottedPath, "dottedPath");
            YamlText.parsePath(dottedPath); // throws PinException on a malformed path
        }

        @Override
        public String toString() {
            return "yaml " + dottedPath;
        }
    }

    /**
     * A string, number or boolean in a JSON document, by a dotted key path as {@link YamlKey}'s
     * ({@code [N]} picks an array item).
     */
    record JsonKey(String dottedPath) implements Pin {
        public JsonKey {
            Objects.requireNonNull(dottedPath, "dottedPath");
            YamlText.parsePath(dottedPath);
        }

        @Override
        public String toString() {
            return "json " + dottedPath;
        }
    }

    /**
     * A one-line value in a TOML file: {@code table.key} for {@code key = "…"} under {@code [table]}
     * ({@code key} alone for the top-level table), keys split on dots as {@link YamlKey}'s.
     */
    record TomlKey(String dottedPath) implements Pin {
        public TomlKey {
            Objects.requireNonNull(dottedPath, "dottedPath");
            YamlText.parsePath(dottedPath);
        }

        @Override
        public String toString() {
            return "toml " + dottedPath;
        }
    }

    /** The version in the {@code require} of {@code module} in a {@code go.mod}. */
    record GoRequire(String module) implements Pin {
        public GoRequire {
            Objects.requireNonNull(module, "module");
            if (module.isBlank() || module.chars().anyMatch(Character::isWhitespace)) {
                throw new PinException("go-require: '" + module + "' is not a module path");
            }
        }

        @Override
        public String toString() {
            return "go-require " + module;
        }
    }

    /** {@code newTag} or {@code digest} of the entry in a kustomization's {@code images:} whose {@code name} is {@code name}. */
    record KustomizeImage(String name, Field field) implements Pin {
        public KustomizeImage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(field, "field");
            if (name.isBlank()) {
                throw new PinException("kustomize-image: the image name is empty");
            }
        }

        @Override
        public String toString() {
            return "kustomize-image " + name + " " + field.key();
        }
    }

    /** The kustomize image field a {@link KustomizeImage} pin sets. */
    enum Field {
        NEW_TAG("newTag"), DIGEST("digest");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        /** The key as written in a kustomization: {@code newTag} or {@code digest}. */
        public String key() {
            return key;
        }

        /** {@code newTag} or {@code digest} (as in cutter.yaml) to a field. */
        public static Field of(String key) {
            for (Field f : values()) {
                if (f.key.equals(key)) {
                    return f;
                }
            }
            throw new PinException("kustomize-image field '" + key + "' is neither newTag nor digest");
        }
    }

    /**
     * A Java regular expression that must match the file exactly once, and the text that replaces the
     * match. In {@code replacement}, {@code $1}/{@code ${name}} are groups (as in {@link java.util.regex.Matcher#appendReplacement})
     * and every {@code {value}} is the new value, inserted literally ({@code $} and {@code \} in the value
     * mean nothing; write {@code \{value}} for the literal text). The replacement must produce text that the pattern matches again (so the pin can be
     * re-applied, checked and reverted), e.g. pattern {@code (?m)^(ARG KATA=)\S+$} with replacement
     * {@code $1{value}}. Use {@code (?m)} for {@code ^}/{@code $} at line ends.
     */
    record Regex(String pattern, String replacement) implements Pin {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new PinException("regex: not a valid Java regular expression: " + e.getDescription());
            }
        }

        /** The whole match is replaced by the value. */
        public Regex(String pattern) {
            this(pattern, "{value}");
        }

        @Override
        public String toString() {
            return "regex " + pattern;
        }
    }
}
