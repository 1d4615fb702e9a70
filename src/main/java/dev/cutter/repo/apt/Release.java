package dev.cutter.repo.apt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A distribution's Release file: written as apt-ftparchive writes it, and read back for by-hash and verify. */
record Release(boolean byHash, List<Entry> entries) {

    /** One index file: its path below dists/&lt;dist&gt;/ and its digests (a digest the Release does not list is null). */
    record Entry(String path, Digests digests) {}

    static String text(AptPublishOptions options, String dist, String date, List<String> architectures,
            List<String> components, List<Entry> entries) {
        StringBuilder b = new StringBuilder(256 + entries.size() * 400);
        b.append("Origin: ").append(options.origin()).append('\n');
        b.append("Label: ").append(options.label()).append('\n');
        b.append("Suite: ").append(dist).append('\n');
        b.append("Codename: ").append(dist).append('\n');
        b.append("Date: ").append(date).append('\n');
        if (options.byHash()) {
            b.append("Acquire-By-Hash: yes\n");
        }
        b.append("Architectures: ").append(String.join(" ", architectures)).append('\n');
        b.append("Components: ").append(String.join(" ", components)).append('\n');
        for (int i = 0; i < Digests.NAMES.size(); i++) {
            b.append(Digests.NAMES.get(i)).append(":\n");
            for (Entry entry : entries) {
                String size = Long.toString(entry.digests().size());
                // apt-ftparchive: " %s %16llu %s"
                b.append(' ').append(entry.digests().all().get(i)).append(' ')
                        .append(" ".repeat(Math.max(0, 16 - size.length()))).append(size)
                        .append(' ').append(entry.path()).append('\n');
            }
        }
        return b.toString();
    }

    static Release parse(String text, String source) {
        Stanza stanza = Stanza.parse(text, source);
        boolean byHash = "yes".equalsIgnoreCase(stanza.get("Acquire-By-Hash"));
        Map<String, String[]> byPath = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int i = 0; i < Digests.NAMES.size(); i++) {
            String section = stanza.get(Digests.NAMES.get(i));
            if (section == null) {
                continue;
            }
            for (String line : section.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                if (parts.length != 3) {
                    throw new IllegalArgumentException(source + ": '" + trimmed + "' in " + Digests.NAMES.get(i)
                            + " is not '<digest> <size> <path>'");
                }
                long size;
                try {
                    size = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": bad size in '" + trimmed + "'", e);
                }
                Long other = sizes.putIfAbsent(parts[2], size);
                if (other != null && other != size) {
                    throw new IllegalArgumentException(source + ": " + parts[2] + " is listed with sizes " + other
                            + " and " + size);
                }
                byPath.computeIfAbsent(parts[2], p -> new String[Digests.NAMES.size()])[i] = parts[0];
            }
        }
        List<Entry> entries = new ArrayList<>();
        byPath.forEach((path, d) -> entries.add(new Entry(path, new Digests(sizes.get(path), d[0], d[1], d[2], d[3]))));
        return new Release(byHash, entries);
    }
}
