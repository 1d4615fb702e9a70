package dev.cutter.pin;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Finds scalars in YAML text (SnakeYAML's composer gives each node's exact start and end) and renders a
 * new value for one in place. Nothing is re-serialised: the caller splices the rendered characters over
 * the old scalar's characters, so comments, order, indentation and line endings stay as they were.
 */
final class YamlText {
    private static final Resolver RESOLVER = new Resolver();
    /** Resolved as non-strings by some YAML 1.1 / 1.2 / go-yaml reader, though SnakeYAML's resolver says str. */
    private static final Pattern OTHER_NON_STRINGS = Pattern.compile("[yYnN]|[-+]?0o[0-7]+|=|<<|[-+]?\\.(?:inf|Inf|INF)");
    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(?:0|[1-9][0-9]*)");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

    private YamlText() {}

    /** One step of a key path. */
    sealed interface Segment {
        record Key(String key) implements Segment {}

        record Index(int index) implements Segment {}
    }

    /** A scalar located in the text. {@code start..end} are char offsets of its characters, quotes included. */
    record Scalar(int start, int end, String value, ScalarStyle style, Tag tag, boolean flow, boolean emptyAfterColon,
            int line) {
        String source(String text) {
            return text.substring(start, end);
        }
    }

    /** The path, parsed; {@code \.}, {@code \[}, {@code \\} escape; {@code [N]} indexes a sequence. */
    static List<Segment> parsePath(String dotted) {
        List<Segment> out = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        boolean keyed = false; // the current segment has a key part (possibly empty only if escaped)
        int i = 0;
        int n = dotted.length();
        if (n == 0) {
            throw new PinException("yaml: the key path is empty; give a dotted path such as oci.guest-components.reference");
        }
        while (i <= n) {
            char c = i < n ? dotted.charAt(i) : '.';
            if (c == '\\' && i + 1 < n) {
                key.append(dotted.charAt(i + 1));
                keyed = true;
                i += 2;
            } else if (c == '\\') {
                throw new PinException("yaml: the key path '" + dotted + "' ends in a lone backslash; write \\\\ for a backslash");
            } else if (c == '[') {
                int close = dotted.indexOf(']', i);
                String digits = close < 0 ? "" : dotted.substring(i + 1, close);
                if (!digits.matches("0|[1-9][0-9]{0,8}")) {
                    throw new PinException("yaml: in the key path '" + dotted + "', '[' starts a sequence index like [0];"
                            + " write \\[ for a literal bracket in a key");
                }
                if (keyed) {
                    out.add(new Segment.Key(key.toString()));
                    key.setLength(0);
                    keyed = false;
                } else if (out.isEmpty() || i > 0 && dotted.charAt(i - 1) == '.') {
                    throw new PinException("yaml: in the key path '" + dotted + "', an index must follow a key, as in images[0]");
                }
                out.add(new Segment.Index(Integer.parseInt(digits)));
                i = close + 1;
                if (i < n && dotted.charAt(i) != '.' && dotted.charAt(i) != '[') {
                    throw new PinException("yaml: in the key path '" + dotted + "', expected '.' or '[' after ']'");
                }
            } else if (c == '.') {
                if (keyed) {
                    out.add(new Segment.Key(key.toString()));
                } else if (i == 0 || dotted.charAt(i - 1) != ']') {
                    throw new PinException("yaml: the key path '" + dotted + "' has an empty key (two dots, or a dot at an end);"
                            + " write \\. for a dot inside a key");
                }
                key.setLength(0);
                keyed = false;
                i++;
            } else {
                key.append(c);
                keyed = true;
                i++;
            }
        }
        return List.copyOf(out);
    }

    /** The one document in {@code text}. */
    static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        options.setAllowRecursiveKeys(false);
        try {
            Iterator<Node> documents = new Yaml(options).composeAll(new StringReader(text)).iterator();
            if (!documents.hasNext()) {
                throw new PinException("the file holds no YAML document");
            }
            Node root = documents.next();
            if (documents.hasNext()) {
                Node second = documents.next();
                throw new PinException("the file holds more than one YAML document (the second starts at line "
                        + (second.getStartMark().getLine() + 1) + "); pins edit single-document files only");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String problem = ((e.getContext() == null ? "" : e.getContext() + ": ") + (e.getProblem() == null ? "" : e.getProblem()))
                    .replaceAll("\\s+", " ").trim();
            throw new PinException("not valid YAML" + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column "
                    + (mark.getColumn() + 1)) + ": " + problem);
        } catch (YAMLException e) {
            throw new PinException("not valid YAML: " + e.getMessage());
        }
    }

    /** A located node: the node, the key it is the value of (null for a sequence item or the root), and its context. */
    record Found(Node node, Node key, boolean flow, String path) {}

    /** Walks {@code path} from {@code root}; errors name the deepest key found. */
    static Found walk(Node root, List<Segment> path, String what) {
        Node node = root;
        Node keyNode = null;
        boolean flow = false;
        String at = "";
        for (Segment segment : path) {
            refuseAnchor(node, at, what);
            String where = at.isEmpty() ? "the top level" : "'" + at + "' (line " + line(keyNode != null ? keyNode : node) + ")";
            switch (segment) {
                case Segment.Key(String key) -> {
                    if (!(node instanceof MappingNode mapping)) {
                        throw new PinException(what + ": " + where + " is " + describe(node) + ", not a mapping, so it has no key '"
                                + key + "'" + deepest(at));
                    }
                    List<NodeTuple> hits = mapping.getValue().stream()
                            .filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)).toList();
                    if (hits.isEmpty()) {
                        List<String> keys = mapping.getValue().stream().map(t -> t.getKeyNode() instanceof ScalarNode s
                                ? s.getValue() : "?").toList();
                        boolean merged = keys.contains("<<");
                        throw new PinException(what + ": no key '" + key + "' in " + where + deepest(at)
                                + (keys.isEmpty() ? "" : "; the keys there are " + String.join(", ", keys))
                                + (merged ? " (keys merged in with << are not followed)" : "")
                                + ". Pins never create keys: add it to the file first, or fix the path");
                    }
                    if (hits.size() > 1) {
                        throw new PinException(what + ": key '" + key + "' appears " + hits.size() + " times in " + where
                                + " (lines " + String.join(", ", hits.stream().map(t -> String.valueOf(line(t.getKeyNode()))).toList())
                                + "); keep one");
                    }
                    flow |= mapping.getFlowStyle() == FlowStyle.FLOW;
                    keyNode = hits.get(0).getKeyNode();
                    node = hits.get(0).getValueNode();
                    at = at.isEmpty() ? escape(key) : at + "." + escape(key);
                }
                case Segment.Index(int index) -> {
                    if (!(node instanceof SequenceNode sequence)) {
                        throw new PinException(what + ": " + where + " is " + describe(node) + ", not a sequence, so it has no item ["
                                + index + "]" + deepest(at));
                    }
                    if (index >= sequence.getValue().size()) {
                        throw new PinException(what + ": " + where + " has " + sequence.getValue().size()
                                + " items, so it has no item [" + index + "]" + deepest(at));
                    }
                    flow |= sequence.getFlowStyle() == FlowStyle.FLOW;
                    keyNode = null;
                    node = sequence.getValue().get(index);
                    at = at + "[" + index + "]";
                }
            }
        }
        refuseAnchor(node, at, what);
        return new Found(node, keyNode, flow, at);
    }

    private static String deepest(String at) {
        return at.isEmpty() ? " (no key of the path was found)" : " (the deepest key found is '" + at + "')";
    }

    private static void refuseAnchor(Node node, String at, String what) {
        if (node.getAnchor() != null) {
            throw new PinException(what + ": '" + (at.isEmpty() ? "the document" : at) + "' (line " + line(node) + ") is anchored as &"
                    + node.getAnchor() + " (or reached through an alias of it); editing it would also change every *"
                    + node.getAnchor() + "; pin a value that is not shared");
        }
    }

    static String escape(String key) {
        return key.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[");
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String describe(Node node) {
        return switch (node.getNodeId()) {
            case scalar -> "a scalar";
            case sequence -> "a sequence";
            case mapping -> "a mapping";
            default -> "an alias";
        };
    }

    /** The char offset of a SnakeYAML mark (whose index counts code points). */
    static int offset(String text, Mark mark) {
        int index = mark.getIndex();
        return text.length() == text.codePointCount(0, text.length()) ? index : text.offsetByCodePoints(0, index);
    }

    /** The scalar {@code found} points at, with its exact characters; refuses block scalars and anchors. */
    static Scalar scalar(String text, Found found, String what) {
        Node node = found.node();
        String where = "'" + found.path() + "' (line " + line(found.key() != null ? found.key() : node) + ")";
        if (!(node instanceof ScalarNode s)) {
            throw new PinException(what + ": " + where + " is " + describe(node) + ", not a single value; pin a key below it");
        }
        if (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED) {
            throw new PinException(what + ": " + where + " is a block scalar (" + (s.getScalarStyle() == ScalarStyle.LITERAL ? "|" : ">")
                    + "); pins edit plain or quoted values only — write it as `key: value` or use a regex pin");
        }
        int start = offset(text, s.getStartMark());
        int end = offset(text, s.getEndMark());
        while (start < end && (text.charAt(start) == '!' || text.charAt(start) == '&')) { // tag (anchors were refused)
            while (start < end && !Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
        }
        boolean empty = s.getValue().isEmpty() && s.getScalarStyle() == ScalarStyle.PLAIN;
        if (empty) {
            if (found.key() == null || start != end && !text.substring(start, end).isBlank()) {
                throw new PinException(what + ": " + where + " is an empty " + (found.key() == null ? "item" : "tagged value")
                        + "; give it a value in the file first");
            }
            int colon = offset(text, found.key().getEndMark());
            while (colon < text.length() && (text.charAt(colon) == ' ' || text.charAt(colon) == '\t')) {
                colon++;
            }
            if (colon >= text.length() || text.charAt(colon) != ':') {
                throw new PinException(what + ": " + where + " has an empty value I cannot place; give it a value in the file first");
            }
            start = end = colon + 1;
        }
        return new Scalar(start, end, s.getValue(), s.getScalarStyle(), s.getTag(), found.flow(), empty, line(node));
    }

    /**
     * The characters to write for {@code value} in place of {@code old}: the old quote character is kept
     * (single quotes switch to double when the value holds a character single quotes cannot carry); a
     * plain scalar stays plain when the value reads back as the same string — or, with {@code keepType},
     * as the same int, float or boolean the old plain scalar was — and is double-quoted otherwise.
     */
    static String render(String value, Scalar old, boolean keepType) {
        return switch (old.style()) {
            case SINGLE_QUOTED -> singleQuotable(value) ? "'" + value.replace("'", "''") + "'" : doubleQuoted(value);
            case DOUBLE_QUOTED -> doubleQuoted(value);
            default -> keepType && sameType(value, old.tag()) || plainString(value, old.flow()) ? value : doubleQuoted(value);
        };
    }

    /** Whether, with {@code keepType}, {@code value} written plain would be read back as a string. */
    static boolean readsAsString(String value, Scalar old, boolean keepType) {
        return old.style() != ScalarStyle.PLAIN || !(keepType && sameType(value, old.tag()));
    }

    private static boolean sameType(String value, Tag tag) {
        Tag resolved = RESOLVER.resolve(NodeId.scalar, value, true);
        if (!resolved.equals(tag)) {
            return false;
        }
        if (tag.equals(Tag.INT)) {
            return DECIMAL_INT.matcher(value).matches();
        }
        if (tag.equals(Tag.FLOAT)) {
            return DECIMAL_FLOAT.matcher(value).matches();
        }
        if (tag.equals(Tag.TIMESTAMP)) { // a plain date stays a plain date: date-released: 2024-06-14
            return value.matches("\\d{4}-\\d{2}-\\d{2}");
        }
        return tag.equals(Tag.BOOL) && value.matches("true|false");
    }

    /** Whether {@code value} can be written as a plain scalar that every common YAML reader reads as this string. */
    static boolean plainString(String value, boolean flow) {
        if (value.isEmpty() || value.startsWith("---") || value.startsWith("...")) {
            return false;
        }
        char first = value.charAt(0);
        char last = value.charAt(value.length() - 1);
        if (first == ' ' || last == ' ' || last == ':') {
            return false;
        }
        if ("?:,[]{}#&*!|>'\"%@`".indexOf(first) >= 0) {
            return false;
        }
        if (first == '-' && (value.length() == 1 || value.charAt(1) == ' ')) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029 || c == 0xfeff
                    || Character.isSurrogate(c) || c >= 0xfffe) {
                return false;
            }
            if (flow && ",[]{}:".indexOf(c) >= 0) {
                return false;
            }
        }
        if (value.contains(": ") || value.contains(" #")) {
            return false;
        }
        return RESOLVER.resolve(NodeId.scalar, value, true).equals(Tag.STR) && !OTHER_NON_STRINGS.matcher(value).matches();
    }

    private static boolean singleQuotable(String value) {
        return value.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029
                || c >= 0xe000 && c <= 0xfffd && c != 0xfeff || c >= 0x10000);
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0 -> out.append("\\0");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case 0x0b -> out.append("\\v");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case 0x1b -> out.append("\\e");
                case 0x85 -> out.append("\\N");
                case 0x2028 -> out.append("\\L");
                case 0x2029 -> out.append("\\P");
                default -> {
                    if (c < 0x20 || c == 0x7f || c > 0x7f && c < 0xa0) {
                        out.append(String.format("\\x%02X", c));
                    } else if (c >= 0xd800 && c <= 0xdfff || c == 0xfeff || c == 0xfffe || c == 0xffff) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
