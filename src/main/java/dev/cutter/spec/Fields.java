package dev.cutter.spec;

import dev.cutter.spec.YamlNode.Entry;
import dev.cutter.spec.YamlNode.ListNode;
import dev.cutter.spec.YamlNode.MapNode;
import dev.cutter.spec.YamlNode.ScalarNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the fields of one YAML map into typed values, recording a {@link SpecError} for every
 * wrong type or missing field and, in {@link #finish()}, for every key nobody asked for.
 * Reading never throws: a field with a fault yields its default so loading can go on and
 * report the next fault too.
 */
public final class Fields {
    private final Problems problems;
    private final MapNode map;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    private Fields(Problems problems, MapNode map, String path) {
        this.problems = problems;
        this.map = map;
        this.path = path;
    }

    /** A reader over {@code node}, or an empty one (after recording the fault) when it is not a map. */
    static Fields of(Problems problems, YamlNode node, String path) {
        problems.record(r -> r.form(path, KeyRecorder.Form.OBJECT));
        if (node instanceof MapNode m) {
            return new Fields(problems, m, path);
        }
        if (!(node instanceof ScalarNode s && s.isNull())) {
            problems.add(node.location(), path, "expected a map (key: value lines), found " + node.describe());
        }
        return new Fields(problems, new MapNode(node.location(), Map.of()), path);
    }

    /** A reader over {@code node} (an entry of a list, a nested map) at {@code at}, reporting where this one does. */
    public Fields open(YamlNode node, String at) {
        return of(problems, node, at);
    }

    /**
     * A key written either {@code true} (what {@code whenOn} makes: the defaults), {@code false} or
     * absent (empty), or as a map read by {@code read} (which finishes its fields), as
     * {@code checksums:} and {@code attestations:} are.
     */
    public <T> Optional<T> switchOrMap(String key, java.util.function.Supplier<T> whenOn, java.util.function.Function<Fields, T> read) {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof ScalarNode) {
            return bool(node.get(), child(key)).filter(on -> on).map(on -> whenOn.get());
        }
        return Optional.of(read.apply(open(node.get(), child(key))));
    }

    /** Reports a fault at {@code location} in field {@code at}; loading goes on. */
    public void problem(Location location, String at, String message) {
        problems.add(location, at, message);
    }

    Problems problems() {
        return problems;
    }

    public String path() {
        return path;
    }

    public Location location() {
        return map.location();
    }

    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return map.entries().containsKey(key);
    }

    /**
     * Marks this map as one whose other keys are names the user chooses (a matrix's axes): its
     * schema lets them be, the loader reads them itself.
     */
    public void namesOtherKeys() {
        problems.record(r -> r.form(path, KeyRecorder.Form.OPEN_OBJECT));
    }

    /** Marks {@code key} as read without naming it in the schema: a name the user chose, read by the caller itself. */
    void claim(String key) {
        read.add(key);
    }

    public Optional<YamlNode> node(String key) {
        read.add(key);
        problems.record(r -> r.key(path, key));
        Entry entry = map.entries().get(key);
        if (entry == null || entry.value() instanceof ScalarNode s && s.isNull()) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    public Location keyLocation(String key) {
        Entry entry = map.entries().get(key);
        return entry == null ? map.location() : entry.keyLocation();
    }

    public Optional<String> string(String key) {
        return node(key).flatMap(n -> scalar(n, child(key)));
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public String required(String key, String example) {
        problems.record(r -> r.required(path, key));
        Optional<String> value = string(key);
        if (value.isEmpty() && !has(key)) {
            problems.add(map.location(), path, "missing required field '" + key + "'; add e.g. " + key + ": " + example);
        } else if (value.isEmpty() && !(map.entries().get(key).value() instanceof ScalarNode)) {
            return ""; // a map or list where a value goes: reported once, as a wrong type
        } else if (value.isEmpty() || value.get().isEmpty()) {
            problems.add(keyLocation(key), child(key), "must not be empty; write e.g. " + key + ": " + example);
        }
        return value.orElse("");
    }

    /** One of {@code allowed}; anything else is a fault naming them. */
    public String choice(String key, String fallback, List<String> allowed) {
        problems.record(r -> r.choice(child(key), allowed));
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return fallback;
        }
        String value = scalar(node.get(), child(key)).orElse(fallback);
        if (!allowed.contains(value)) {
            String hint = Problems.suggestion(value, allowed);
            problems.add(node.get().location(), child(key), "'" + value + "' is not one of " + String.join(", ", allowed)
                    + (hint == null ? "" : "; did you mean '" + hint + "'?"));
            return fallback;
        }
        return value;
    }

    public Optional<Template> template(String key) {
        return node(key).flatMap(n -> template(n, child(key)));
    }

    public Template template(String key, String fallback) {
        return template(key).orElseGet(() -> parseTemplate(fallback, keyLocation(key), child(key)));
    }

    public Template requiredTemplate(String key, String example) {
        problems.record(r -> r.required(path, key));
        if (!has(key)) {
            problems.add(map.location(), path, "missing required field '" + key + "'; add e.g. " + key + ": " + example);
        }
        return template(key, "");
    }

    public Optional<Template> template(YamlNode node, String at) {
        return scalar(node, at).map(text -> parseTemplate(text, node.location(), at));
    }

    public Template parseTemplate(String text, Location location, String at) {
        try {
            return Template.parse(text, location, at);
        } catch (Template.TemplateSyntaxException e) {
            problems.add(Template.locate(location, text, e.offset()), at, e.getMessage());
            // the text as written, placeholders and all, so that checks of the value (a file name,
            // a reference) do not report a second, made-up fault about an empty one
            return new Template(text, location, at, List.of(new Template.Literal(text)));
        }
    }

    public boolean bool(String key, boolean fallback) {
        return optionalBool(key).orElse(fallback);
    }

    public Optional<Boolean> optionalBool(String key) {
        problems.record(r -> r.form(child(key), KeyRecorder.Form.BOOLEAN));
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        return bool(node.get(), child(key));
    }

    /** {@code true} or {@code false} as YAML 1.2 writes them; YAML 1.1's yes/no/on/off are refused, not guessed. */
    public Optional<Boolean> bool(YamlNode node, String at) {
        problems.record(r -> r.form(at, KeyRecorder.Form.BOOLEAN));
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOLEAN) {
            return Optional.of(Boolean.parseBoolean(s.text()));
        }
        if (node instanceof ScalarNode s && YAML11_BOOLEAN.matcher(s.text()).matches()) {
            problems.add(node.location(), at, "'" + s.text() + "' is not a boolean; write true or false"
                    + " (yes, no, on and off are text in YAML 1.2)");
        } else {
            problems.add(node.location(), at, "expected true or false, found " + node.describe());
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern YAML11_BOOLEAN =
            java.util.regex.Pattern.compile("(?i)yes|no|on|off|y|n");

    public int integer(String key, int fallback, int min) {
        problems.record(r -> {
            r.form(child(key), KeyRecorder.Form.INTEGER);
            r.minimum(child(key), min);
        });
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return fallback;
        }
        if (node.get() instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INTEGER) {
            try {
                int value = Integer.parseInt(s.text());
                if (value >= min) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(s.location(), child(key), "must be a whole number of at least " + min + ", found " + s.text());
            return fallback;
        }
        problems.add(node.get().location(), child(key), "expected a whole number, found " + node.get().describe());
        return fallback;
    }

    /** A duration written as 90s, 10m, 1h30m or a bare number of seconds. */
    public Optional<Duration> duration(String key) {
        problems.record(r -> r.form(child(key), KeyRecorder.Form.SCALAR));
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> text = scalar(node.get(), child(key));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get().trim();
        var parts = DURATION.matcher(t);
        if (t.isEmpty() || !parts.matches()) {
            problems.add(node.get().location(), child(key), "'" + t + "' is not a duration; write e.g. 90s, 10m or 1h30m (1s to 7 days)");
            return Optional.empty();
        }
        // summed in seconds with a cap, so 9999999999999999h is refused instead of overflowing
        long seconds = 0;
        long[] units = {3600, 60, 1, 1};
        for (int i = 0; i < units.length; i++) {
            String digits = parts.group(i + 1);
            if (digits != null) {
                seconds += digits.length() > 12 ? MAX_DURATION.getSeconds() + 1 : Long.parseLong(digits) * units[i];
                seconds = Math.min(seconds, MAX_DURATION.getSeconds() + 1);
            }
        }
        if (seconds < 1 || seconds > MAX_DURATION.getSeconds()) {
            problems.add(node.get().location(), child(key), "'" + t + "' is outside the allowed range of 1s to "
                    + MAX_DURATION.toDays() + " days (168h); write e.g. 90s, 10m or 1h30m");
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /** The longest time-out a spec may set: a week, beyond any real build yet far from overflowing. */
    static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?|(\\d+)");

    /** A list of strings; a single scalar counts as a list of one. */
    public List<String> strings(String key) {
        return list(key, (node, at) -> scalar(node, at).orElse(null));
    }

    public List<Template> templates(String key) {
        return list(key, (node, at) -> template(node, at).orElse(null));
    }

    /** Reads a list whose items are converted by {@code item}; null items are dropped. */
    public <T> List<T> list(String key, BiFunction<YamlNode, String, T> item) {
        problems.record(r -> r.form(child(key), KeyRecorder.Form.LIST));
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return List.of();
        }
        return items(node.get(), child(key), item);
    }

    public <T> List<T> items(YamlNode node, String at, BiFunction<YamlNode, String, T> item) {
        problems.record(r -> r.form(at, KeyRecorder.Form.LIST));
        List<YamlNode> nodes;
        if (node instanceof ListNode l) {
            nodes = l.items();
        } else if (node instanceof ScalarNode) {
            nodes = List.of(node);
        } else {
            problems.add(node.location(), at, "expected a list, found " + node.describe());
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String itemAt = at + "[" + i + "]";
            problems.record(r -> r.item(at, itemAt));
            T value = item.apply(nodes.get(i), itemAt);
            if (value != null) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /** A map of string keys to values converted by {@code value}, in file order. */
    public <T> Map<String, T> map(String key, BiFunction<YamlNode, String, T> value) {
        problems.record(r -> r.form(child(key), KeyRecorder.Form.MAP));
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Map.of();
        }
        if (!(node.get() instanceof MapNode m)) {
            problems.add(node.get().location(), child(key), "expected a map, found " + node.get().describe());
            return Map.of();
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
            String entryAt = child(key) + "." + e.getKey();
            problems.record(r -> r.entry(child(key), entryAt));
            T converted = value.apply(e.getValue().value(), entryAt);
            if (converted != null) {
                out.put(e.getKey(), converted);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public Map<String, Template> templateMap(String key) {
        return map(key, (node, at) -> template(node, at).orElseGet(() -> Template.parse("", node.location(), at)));
    }

    /** The name of an environment variable or var, as POSIX shells accept it: no '=', no blank. */
    public static final java.util.regex.Pattern VARIABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** An {@code env:} map: templates under names a process environment can hold. */
    public Map<String, Template> env(String key) {
        Map<String, Template> env = templateMap(key);
        keyLocations(key).forEach((name, location) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                problems.add(location, child(key) + "." + name, "'" + name + "' is not an environment variable name;"
                        + " use letters, digits and '_', not starting with a digit (e.g. GOFLAGS)");
            }
        });
        return env;
    }

    /** Key locations of a nested map, for errors about its keys. */
    public Map<String, Location> keyLocations(String key) {
        Entry entry = map.entries().get(key);
        if (entry == null || !(entry.value() instanceof MapNode m)) {
            return Map.of();
        }
        Map<String, Location> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k, v.keyLocation()));
        return out;
    }

    /** A scalar's text; null scalars are absent; maps and lists are a fault. */
    public Optional<String> scalar(YamlNode node, String at) {
        problems.record(r -> r.form(at, KeyRecorder.Form.SCALAR));
        if (node instanceof ScalarNode s) {
            return s.isNull() ? Optional.empty() : Optional.of(s.text());
        }
        problems.add(node.location(), at, "expected a single value, found " + node.describe());
        return Optional.empty();
    }

    /** Records a fault for every key of this map that no reader asked for. */
    public void finish() {
        for (Map.Entry<String, Entry> e : map.entries().entrySet()) {
            if (!read.contains(e.getKey())) {
                String hint = Problems.suggestion(e.getKey(), read);
                problems.add(e.getValue().keyLocation(), child(e.getKey()), "unknown key"
                        + (hint != null ? "; did you mean '" + hint + "'?" : "; known keys here: " + String.join(", ", read)));
            }
        }
    }
}
