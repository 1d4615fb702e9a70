package dev.cutter.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.cutter.spec.YamlNode.Entry;
import dev.cutter.spec.YamlNode.ListNode;
import dev.cutter.spec.YamlNode.MapNode;
import dev.cutter.spec.YamlNode.ScalarNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one YAML (or JSON) document into a {@link YamlNode} tree with locations. */
public final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {}

    public static YamlNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw SpecException.of(file, Location.UNKNOWN, "", "file not found; pass an existing cutter.yaml with -f");
        } catch (IOException e) {
            throw SpecException.of(file, Location.UNKNOWN, "", "cannot read the file: " + e.getMessage());
        }
        return parse(file, text);
    }

    public static YamlNode parse(Path file, String text) {
        try (Reader reader = new StringReader(text); YAMLParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ScalarNode(new Location(1, 1), "", ScalarNode.Kind.NULL);
            }
            YamlNode root = node(file, parser, text.split("\n", -1), "");
            if (parser.nextToken() != null) {
                throw SpecException.of(file, location(parser), "",
                        "the file holds more than one YAML document; keep one (remove the extra '---')");
            }
            return root;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                String problem = (context + (marked.getProblem() == null ? "" : marked.getProblem())).replaceAll("\\s+", " ").trim();
                throw SpecException.of(file, new Location(mark.getLine() + 1, mark.getColumn() + 1), "", "not valid YAML: "
                        + problem + (problem.contains("\\t") || problem.contains("tab") ? "; indent with spaces, not tabs" : ""));
            }
            JsonLocation at = e.getLocation();
            Location location = at == null ? Location.UNKNOWN : new Location(at.getLineNr(), at.getColumnNr());
            throw SpecException.of(file, location, "", "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw SpecException.of(file, Location.UNKNOWN, "", "cannot read the file: " + e.getMessage());
        }
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

    private static Location location(JsonParser parser) {
        JsonLocation at = parser.currentTokenLocation();
        return new Location(at.getLineNr(), at.getColumnNr());
    }

    private static YamlNode node(Path file, YAMLParser parser, String[] lines, String path) throws IOException {
        Location at = location(parser);
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyAt = location(parser);
                    parser.nextToken();
                    String child = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = node(file, parser, lines, child);
                    if (entries.putIfAbsent(key, new Entry(keyAt, value)) != null) {
                        throw SpecException.of(file, keyAt, child,
                                "duplicate key (first at line " + entries.get(key).keyLocation().line()
                                        + "); keep one");
                    }
                }
                yield new MapNode(at, Collections.unmodifiableMap(entries));
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(file, parser, lines, path + "[" + items.size() + "]"));
                }
                yield new ListNode(at, List.copyOf(items));
            }
            case VALUE_STRING -> new ScalarNode(contentStart(at, lines), parser.getText(), ScalarNode.Kind.STRING);
            case VALUE_NUMBER_INT -> new ScalarNode(at, parser.getText(), ScalarNode.Kind.INTEGER);
            case VALUE_NUMBER_FLOAT -> new ScalarNode(at, parser.getText(), ScalarNode.Kind.FLOAT);
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(at, token == JsonToken.VALUE_TRUE ? "true" : "false", ScalarNode.Kind.BOOLEAN);
            case VALUE_NULL -> new ScalarNode(at, "", ScalarNode.Kind.NULL);
            default -> throw SpecException.of(file, at, "", "unsupported YAML construct " + token);
        };
    }
}
