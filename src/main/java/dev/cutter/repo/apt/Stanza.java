package dev.cutter.repo.apt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One deb822 paragraph (a control file, a Packages or Release entry): fields in order, each value
 * as written after "Name:" with its first line stripped and continuation lines kept verbatim.
 * Parsing uses no regular expressions: it runs over every stanza of an index.
 */
final class Stanza {
    /**
     * apt-ftparchive's field order (apt-pkg/tagfile-order.c, TFRewritePackageOrder); fields not
     * listed follow in their original order.
     */
    static final List<String> PACKAGE_ORDER = List.of(
            "Package", "Package-Type", "Architecture", "Subarchitecture", "Version", "Revision", "Package-Revision",
            "Package_Revision", "Kernel-Version", "Built-Using", "Built-For-Profiles", "Auto-Built-Package",
            "Multi-Arch", "Status", "Priority", "Class", "Essential", "Installer-Menu-Item", "Section", "Source",
            "Origin", "Maintainer", "Original-Maintainer", "Bugs", "Config-Version", "Conffiles", "Triggers-Awaited",
            "Triggers-Pending", "Installed-Size", "Provides", "Pre-Depends", "Depends", "Recommends", "Recommended",
            "Suggests", "Optional", "Conflicts", "Breaks", "Replaces", "Enhances", "Filename", "MSDOS-Filename", "Size",
            "MD5sum", "SHA1", "SHA256", "SHA512", "Homepage", "Description", "Tag", "Task");
    private static final Map<String, Integer> RANK = new HashMap<>();

    static {
        for (int i = 0; i < PACKAGE_ORDER.size(); i++) {
            RANK.put(PACKAGE_ORDER.get(i).toLowerCase(java.util.Locale.ROOT), i);
        }
    }

    private final List<String> names;
    private final List<String> values;

    private Stanza(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    static Stanza empty() {
        return new Stanza(new ArrayList<>(), new ArrayList<>());
    }

    /** Parses every paragraph of {@code text}; {@code source} names the file in error messages. */
    static List<Stanza> parseAll(String text, String source) {
        List<Stanza> all = new ArrayList<>();
        Stanza current = null;
        int line = 0;
        int pos = 0;
        int length = text.length();
        while (pos < length) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = length;
            }
            line++;
            int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (stop == pos) {
                if (current != null) {
                    all.add(current);
                    current = null;
                }
            } else {
                char first = text.charAt(pos);
                if (first == ' ' || first == '\t') {
                    if (current == null || current.names.isEmpty()) {
                        throw new IllegalArgumentException(source + " line " + line + ": a continuation line outside a field");
                    }
                    int last = current.values.size() - 1;
                    current.values.set(last, current.values.get(last) + "\n" + text.substring(pos, stop));
                } else if (first == '#') {
                    // a comment, allowed in control files
                } else {
                    int colon = text.indexOf(':', pos);
                    if (colon < 0 || colon >= stop || colon == pos) {
                        throw new IllegalArgumentException(source + " line " + line + ": '" + text.substring(pos, stop)
                                + "' is not a 'Field: value' line");
                    }
                    if (current == null) {
                        current = empty();
                    }
                    String name = text.substring(pos, colon);
                    if (current.get(name) != null) {
                        throw new IllegalArgumentException(source + " line " + line + ": field " + name + " appears twice");
                    }
                    current.names.add(name);
                    current.values.add(text.substring(colon + 1, stop).strip());
                }
            }
            pos = end + 1;
        }
        if (current != null) {
            all.add(current);
        }
        return all;
    }

    static Stanza parse(String text, String source) {
        List<Stanza> all = parseAll(text, source);
        if (all.size() != 1) {
            throw new IllegalArgumentException(source + ": expected one paragraph, found " + all.size());
        }
        return all.get(0);
    }

    /** The value of a field (names are case-insensitive), or null. */
    String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    Stanza with(String name, String value) {
        return with(List.of(name), List.of(value));
    }

    /** A copy with each of {@code newNames} set to the value at the same index (replaced, or added at the end); nulls are skipped. */
    Stanza with(List<String> newNames, List<String> newValues) {
        Stanza copy = new Stanza(new ArrayList<>(names.size() + newNames.size()), new ArrayList<>(values.size() + newNames.size()));
        copy.names.addAll(names);
        copy.values.addAll(values);
        outer:
        for (int j = 0; j < newNames.size(); j++) {
            String name = newNames.get(j);
            String value = newValues.get(j);
            if (value == null) {
                continue;
            }
            for (int i = 0; i < copy.names.size(); i++) {
                if (copy.names.get(i).equalsIgnoreCase(name)) {
                    copy.values.set(i, value);
                    continue outer;
                }
            }
            copy.names.add(name);
            copy.values.add(value);
        }
        return copy;
    }

    Stanza without(List<String> drop) {
        Stanza copy = empty();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean dropped = false;
            for (int j = 0; j < drop.size() && !dropped; j++) {
                dropped = drop.get(j).equalsIgnoreCase(name);
            }
            if (!dropped) {
                copy.names.add(name);
                copy.values.add(values.get(i));
            }
        }
        return copy;
    }

    /** The fields in apt-ftparchive's order, then the unknown ones as they came. */
    Stanza canonical() {
        Integer[] order = new Integer[names.size()];
        int[] ranks = new int[names.size()]; // once per field, not once per comparison
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            ranks[i] = rank(i);
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(ranks[a], ranks[b]));
        Stanza sorted = empty();
        for (int i : order) {
            sorted.names.add(names.get(i));
            sorted.values.add(values.get(i));
        }
        return sorted;
    }

    private int rank(int index) {
        Integer r = RANK.get(names.get(index).toLowerCase(java.util.Locale.ROOT));
        return r != null ? r : PACKAGE_ORDER.size() + index;
    }

    /** "Name: value\n" for every field; a value starting with a line break (e.g. "SHA256:") gets no space. */
    void appendTo(StringBuilder out) {
        for (int i = 0; i < names.size(); i++) {
            String value = values.get(i);
            out.append(names.get(i)).append(':');
            if (!value.isEmpty() && value.charAt(0) != '\n') {
                out.append(' ');
            }
            out.append(value).append('\n');
        }
    }

    @Override
    public String toString() {
        int length = 0;
        for (int i = 0; i < names.size(); i++) {
            length += names.get(i).length() + values.get(i).length() + 3;
        }
        StringBuilder b = new StringBuilder(length);
        appendTo(b);
        return b.toString();
    }
}
