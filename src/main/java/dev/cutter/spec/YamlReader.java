package dev.cutter.spec;

import dev.cutter.spec.YamlNode.Entry;
import dev.cutter.spec.YamlNode.ListNode;
import dev.cutter.spec.YamlNode.MapNode;
import dev.cutter.spec.YamlNode.ScalarNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads one YAML (or JSON) document into a {@link YamlNode} tree with locations.
 *
 * <p>SnakeYAML composes the node graph; this class turns it into a tree: aliases are expanded
 * (and merge keys {@code <<:} merged) as GitLab CI users expect, with every node keeping the
 * place it was written. Plain scalars resolve by the YAML 1.2 core schema, so {@code yes},
 * {@code no} and {@code NO} are text, never booleans. Explicit tags other than the harmless
 * {@code !!str !!int !!float !!bool !!null !!map !!seq}, and control characters other than tab and
 * newline, are faults. The limits below are refused with a fault naming them, before any
 * large allocation.
 */
public final class YamlReader {
    /** The largest spec or data file read: checked before parsing, so a huge file costs nothing. */
    public static final int MAX_BYTES = 1 << 20;
    /** How deep maps and lists may nest, counting what aliases bring in. */
    static final int MAX_DEPTH = 64;
    /** How many nodes a document may expand to through aliases ("billion laughs" guard). */
    static final int MAX_NODES = 1_000_000;
    /** How many aliases of maps and lists one document may hold. */
    static final int MAX_ALIASES = 100;

    private static final String CORE = "tag:yaml.org,2002:";
    /** What the resolver gives an untagged plain scalar: resolved below by the YAML 1.2 core schema. */
    private static final Tag PLAIN = new Tag("tag:cutter.dev,2025:plain");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private YamlReader() {}

    /** Reads {@code file}; any fault throws a {@link SpecException}. */
    public static YamlNode read(Path file) {
        Problems problems = new Problems(file);
        YamlNode root = read(problems, file);
        problems.throwIfAny();
        return root;
    }

    /** Parses {@code text} as if read from {@code file}; any fault throws a {@link SpecException}. */
    public static YamlNode parse(Path file, String text) {
        Problems problems = new Problems(file);
        YamlNode root = parse(problems, text);
        problems.throwIfAny();
        return root;
    }

    /**
     * Reads {@code file}: a file that cannot be parsed throws; faults of single values (a tag, a
     * control character) are added to {@code problems} and the tree is still returned, so the
     * loader reports the other faults too.
     */
    static YamlNode read(Problems problems, Path file) {
        Path where = problems.file();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(where, size);
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw SpecException.of(where, Location.UNKNOWN, "", "file not found; pass an existing cutter.yaml with -f");
        } catch (IOException e) {
            throw SpecException.of(where, Location.UNKNOWN, "", "cannot read the file: " + e.getMessage());
        }
        return parse(problems, text);
    }

    static YamlNode parse(Problems problems, String text) {
        Path file = problems.file();
        if (text.length() > MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw tooLarge(file, text.getBytes(StandardCharsets.UTF_8).length);
        }
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options()),
                    new CoreResolver(), options());
            if (!composer.checkNode()) {
                return new ScalarNode(new Location(1, 1), "", ScalarNode.Kind.NULL);
            }
            Node root = composer.getNode();
            if (composer.checkNode()) {
                Node extra = composer.getNode();
                throw SpecException.of(file, location(extra.getStartMark()), "",
                        "the file holds more than one YAML document; keep one (remove the extra '---')");
            }
            return new Converter(problems, text.split("\n", -1)).tree(root);
        } catch (MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
            String problem = (context + (marked.getProblem() == null ? "" : marked.getProblem())).replaceAll("\\s+", " ").trim();
            throw SpecException.of(file, mark == null ? Location.UNKNOWN : location(mark), "", "not valid YAML: " + problem
                    + (problem.contains("\\t") || problem.contains("tab") ? "; indent with spaces, not tabs" : ""));
        } catch (YAMLException e) {
            throw SpecException.of(file, Location.UNKNOWN, "", "not valid YAML: " + limitMessage(e.getMessage()));
        }
    }

    private static SpecException tooLarge(Path file, long size) {
        return SpecException.of(file, Location.UNKNOWN, "", "the file is " + size + " bytes, more than the " + MAX_BYTES
                + " bytes (1 MiB) a spec or matrix data file may hold; split generated data or shorten it");
    }

    private static String limitMessage(String message) {
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        if (first.contains("Nesting Depth")) {
            return first + "; nest maps and lists at most " + MAX_DEPTH + " levels deep";
        }
        if (first.contains("aliases")) {
            return first + "; use at most " + MAX_ALIASES + " aliases (*name) of maps and lists";
        }
        return first;
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(true); // duplicates are reported below, with both lines
        options.setTagInspector(tag -> true); // nothing is constructed from a tag; every tag is reported below, in place
        return options;
    }

    private static Location location(Mark mark) {
        return new Location(mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Leaves untagged plain scalars for the YAML 1.2 core schema below, except the merge key. */
    private static final class CoreResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            if (kind == NodeId.scalar && implicit && !value.equals("<<")) {
                return PLAIN;
            }
            return super.resolve(kind, value, implicit);
        }
    }

    /** Turns one composed graph into a tree; each graph node is converted once and shared. */
    private static final class Converter {
        private final Problems problems;
        private final String[] lines;
        private final Map<Node, YamlNode> done = new IdentityHashMap<>();
        private final Map<YamlNode, Long> sizes = new IdentityHashMap<>();
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(Problems problems, String[] lines) {
            this.problems = problems;
            this.lines = lines;
        }

        YamlNode tree(Node root) {
            YamlNode tree = node(root, "", 1);
            if (sizes.getOrDefault(tree, 1L) > MAX_NODES) {
                throw SpecException.of(problems.file(), tree.location(), "", "anchors and aliases expand to more than "
                        + MAX_NODES + " values; write the repeated parts out or reuse fewer of them");
            }
            return tree;
        }

        private YamlNode node(Node node, String path, int depth) {
            YamlNode known = done.get(node);
            if (known != null) {
                return known;
            }
            Location at = location(node.getStartMark());
            if (depth > MAX_DEPTH) {
                throw SpecException.of(problems.file(), at, path, "nested deeper than " + MAX_DEPTH
                        + " levels (counting what aliases bring in); flatten the structure");
            }
            if (!open.add(node)) {
                problems.add(at, path, "an alias refers to a map or list that contains it; a spec is a tree, write it without the loop");
                return new ScalarNode(at, "", ScalarNode.Kind.NULL);
            }
            YamlNode converted = switch (node) {
                case MappingNode map -> map(map, at, path, depth);
                case SequenceNode list -> list(list, at, path, depth);
                case org.yaml.snakeyaml.nodes.ScalarNode scalar -> scalar(scalar, path);
                default -> throw SpecException.of(problems.file(), at, path, "unsupported YAML construct " + node.getNodeId());
            };
            open.remove(node);
            done.put(node, converted);
            return converted;
        }

        private MapNode map(MappingNode node, Location at, String path, int depth) {
            collectionTag(node, at, path, Tag.MAP);
            Map<String, Entry> entries = new LinkedHashMap<>();
            List<Node> merges = new ArrayList<>();
            long size = 1;
            for (NodeTuple tuple : node.getValue()) {
                if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                    merges.add(tuple.getValueNode());
                    continue;
                }
                Location keyAt = location(tuple.getKeyNode().getStartMark());
                if (!(node(tuple.getKeyNode(), path, depth + 1) instanceof ScalarNode keyNode)) {
                    problems.add(keyAt, path, "a key must be a single value, not " + (tuple.getKeyNode() instanceof MappingNode
                            ? "a map" : "a list"));
                    continue;
                }
                String key = keyNode.text();
                String child = path.isEmpty() ? key : path + "." + key;
                YamlNode value = node(tuple.getValueNode(), child, depth + 1);
                Entry first = entries.putIfAbsent(key, new Entry(keyAt, value));
                if (first != null) {
                    throw SpecException.of(problems.file(), keyAt, child,
                            "duplicate key (first at line " + first.keyLocation().line() + "); keep one");
                }
                size = add(size, value);
            }
            for (Node merge : merges) { // keys written in the map win; of merged maps, the first that has a key
                List<Node> sources = merge instanceof SequenceNode list ? list.getValue() : List.of(merge);
                for (Node source : sources) {
                    if (!(node(source, path, depth + 1) instanceof MapNode merged)) {
                        problems.add(location(source.getStartMark()), path,
                                "a merge key '<<' takes a map or a list of maps (an alias such as <<: *defaults)");
                        continue;
                    }
                    for (Map.Entry<String, Entry> e : merged.entries().entrySet()) {
                        if (entries.putIfAbsent(e.getKey(), e.getValue()) == null) {
                            size = add(size, e.getValue().value());
                        }
                    }
                }
            }
            MapNode map = new MapNode(at, Collections.unmodifiableMap(entries));
            sizes.put(map, size);
            return map;
        }

        private ListNode list(SequenceNode node, Location at, String path, int depth) {
            collectionTag(node, at, path, Tag.SEQ);
            List<YamlNode> items = new ArrayList<>();
            long size = 1;
            for (Node item : node.getValue()) {
                YamlNode value = node(item, path + "[" + items.size() + "]", depth + 1);
                items.add(value);
                size = add(size, value);
            }
            ListNode list = new ListNode(at, List.copyOf(items));
            sizes.put(list, size);
            return list;
        }

        /** Adds what {@code value} expands to, stopping early once past the limit. */
        private long add(long size, YamlNode value) {
            long total = size + sizes.getOrDefault(value, 1L);
            if (total > MAX_NODES) {
                throw SpecException.of(problems.file(), value.location(), "", "anchors and aliases expand to more than "
                        + MAX_NODES + " values; write the repeated parts out or reuse fewer of them");
            }
            return total;
        }

        private void collectionTag(Node node, Location at, String path, Tag expected) {
            if (!node.getTag().equals(expected)) {
                problems.add(at, path, "the YAML tag " + shown(node.getTag()) + " is not allowed; remove it"
                        + " (a spec holds plain maps, lists, text, numbers and true/false)");
            }
        }

        private ScalarNode scalar(org.yaml.snakeyaml.nodes.ScalarNode node, String path) {
            String text = node.getValue();
            Location at = contentStart(location(node.getStartMark()), lines);
            controlCharacter(text).ifPresent(c -> problems.add(at, path, String.format(
                    "contains the control character U+%04X; remove it (only tab and newline may appear in a value)", c)));
            Tag tag = node.getTag();
            if (tag.equals(PLAIN)) {
                return new ScalarNode(at, normal(text), plainKind(text));
            }
            String name = tag.getValue().startsWith(CORE) ? tag.getValue().substring(CORE.length()) : null;
            ScalarNode.Kind kind = name == null ? null : switch (name) {
                case "str" -> ScalarNode.Kind.STRING;
                case "int" -> INT.matcher(text).matches() ? ScalarNode.Kind.INTEGER : null;
                case "float" -> FLOAT.matcher(text).matches() || INT.matcher(text).matches() ? ScalarNode.Kind.FLOAT : null;
                case "bool" -> BOOL.matcher(text).matches() ? ScalarNode.Kind.BOOLEAN : null;
                case "null" -> NULL.matcher(text).matches() ? ScalarNode.Kind.NULL : null;
                default -> null;
            };
            if (kind == null) {
                problems.add(at, path, "the YAML tag " + shown(tag) + (name != null && List.of("int", "float", "bool", "null")
                        .contains(name) ? " does not fit '" + text + "'" : " is not allowed") + "; remove it and write the"
                        + " value as plain text, a number, true or false");
                return new ScalarNode(at, text, ScalarNode.Kind.STRING);
            }
            return new ScalarNode(at, kind == ScalarNode.Kind.BOOLEAN ? text.toLowerCase()
                    : kind == ScalarNode.Kind.NULL ? "" : text, kind);
        }

        private static String normal(String text) {
            return BOOL.matcher(text).matches() ? text.toLowerCase() : NULL.matcher(text).matches() ? "" : text;
        }

        private static ScalarNode.Kind plainKind(String text) {
            if (NULL.matcher(text).matches()) {
                return ScalarNode.Kind.NULL;
            }
            if (BOOL.matcher(text).matches()) {
                return ScalarNode.Kind.BOOLEAN;
            }
            if (INT.matcher(text).matches()) {
                return ScalarNode.Kind.INTEGER;
            }
            return FLOAT.matcher(text).matches() ? ScalarNode.Kind.FLOAT : ScalarNode.Kind.STRING;
        }

        private static String shown(Tag tag) {
            String value = tag.getValue();
            return value.startsWith(CORE) ? "!!" + value.substring(CORE.length()) : value;
        }
    }

    /** The first control character of {@code text} other than tab and newline, if any. */
    static java.util.OptionalInt controlCharacter(String text) {
        return text.codePoints().filter(c -> c != '\t' && c != '\n' && Character.getType(c) == Character.CONTROL).findFirst();
    }

    /** Where a quoted scalar's text starts: one past the quote, so offsets into it land right. */
    private static Location contentStart(Location at, String[] lines) {
        if (at.line() < 1 || at.line() > lines.length) {
            return at;
        }
        String line = lines[at.line() - 1];
        int index = at.column() - 1;
        if (index >= 0 && index < line.length() && (line.charAt(index) == '"' || line.charAt(index) == '\'')) {
            return new Location(at.line(), at.column() + 1);
        }
        if (index >= 0 && index < line.length() && (line.charAt(index) == '|' || line.charAt(index) == '>')) {
            // a block scalar's text starts on the next non-empty line, at its indentation
            for (int next = at.line(); next < lines.length; next++) {
                String l = lines[next];
                if (!l.isBlank()) {
                    return new Location(next + 1, l.length() - l.stripLeading().length() + 1);
                }
            }
        }
        return at;
    }
}
