package dev.cutter.spec;

import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where every node stood, so that every error the
 * loader reports can name its line and column. Jackson's tree model drops locations; this one
 * is built from its streaming parser instead.
 */
public sealed interface YamlNode {
    Location location();

    /** What this node is, in the words an error message uses ("a map", "a list", "a string"). */
    String describe();

    /** A mapping; keys keep their own locations for unknown-key errors. */
    record MapNode(Location location, Map<String, Entry> entries) implements YamlNode {
        public String describe() {
            return "a map";
        }
    }

    record Entry(Location keyLocation, YamlNode value) {}

    record ListNode(Location location, List<YamlNode> items) implements YamlNode {
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written. {@code quoted} tells a string from a plain scalar; {@code kind} is
     * what YAML would resolve a plain scalar to, used only in error messages and type checks.
     */
    record ScalarNode(Location location, String text, Kind kind) implements YamlNode {
        public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        public String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> "a whole number";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }

        public boolean isNull() {
            return kind == Kind.NULL;
        }
    }
}
