package dev.cutter.pkg.rpm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One RPM dependency as the header stores it: name, flags (sense and context) and version. */
record Dependency(String name, int flags, String version) implements Comparable<Dependency> {
    private static final Pattern DEBIAN = Pattern.compile("\\s*([^\\s(|]+)\\s*(?:\\(\\s*(<<|<=|=|>=|>>|<|>)\\s*([^\\s)]+)\\s*\\))?\\s*");

    static Dependency rpmlib(String feature) {
        int eq = feature.indexOf('=');
        return new Dependency(feature.substring(0, eq),
                RpmTag.SENSE_RPMLIB | RpmTag.SENSE_LESS | RpmTag.SENSE_EQUAL, feature.substring(eq + 1));
    }

    /**
     * Translates one Debian relation, "name", "name (>= 1.0)" or alternatives "a | b (>> 2)", to
     * an RPM dependency; alternatives become a rich dependency "(a or b > 2)".
     */
    static Dependency fromDebian(String relation, String kind, String packageName) {
        String[] alternatives = relation.split("\\|");
        List<Dependency> parsed = new ArrayList<>();
        for (String alternative : alternatives) {
            Matcher m = DEBIAN.matcher(alternative);
            if (!m.matches()) {
                throw new IllegalArgumentException("package " + packageName + ": cannot translate " + kind + " \""
                        + relation + "\" to RPM: expected \"name\" or \"name (op version)\" with op one of"
                        + " << <= = >= >>");
            }
            String name = m.group(1);
            if (name.contains(":") && !name.startsWith("/")) {
                throw new IllegalArgumentException("package " + packageName + ": " + kind + " \"" + relation
                        + "\" has a Debian architecture qualifier, which RPM does not have");
            }
            if (m.group(2) == null) {
                parsed.add(new Dependency(name, 0, ""));
            } else {
                int flags = switch (m.group(2)) {
                    case "<<", "<" -> RpmTag.SENSE_LESS;
                    case "<=" -> RpmTag.SENSE_LESS | RpmTag.SENSE_EQUAL;
                    case "=" -> RpmTag.SENSE_EQUAL;
                    case ">=" -> RpmTag.SENSE_GREATER | RpmTag.SENSE_EQUAL;
                    default -> RpmTag.SENSE_GREATER;
                };
                parsed.add(new Dependency(name, flags, m.group(3)));
            }
        }
        if (parsed.size() == 1) {
            return parsed.get(0);
        }
        StringBuilder rich = new StringBuilder("(");
        for (int i = 0; i < parsed.size(); i++) {
            rich.append(i == 0 ? "" : " or ").append(parsed.get(i).text());
        }
        return new Dependency(rich.append(')').toString(), 0, "");
    }

    boolean rich() {
        return name.startsWith("(");
    }

    /** "name", or "name >= version" as rpm -q --requires prints it. */
    String text() {
        if (version.isEmpty()) {
            return name;
        }
        String op = ((flags & RpmTag.SENSE_LESS) != 0 ? "<" : "") + ((flags & RpmTag.SENSE_GREATER) != 0 ? ">" : "")
                + ((flags & RpmTag.SENSE_EQUAL) != 0 ? "=" : "");
        return name + " " + op + " " + version;
    }

    @Override
    public int compareTo(Dependency other) {
        int c = Bytes.compareUtf8(name, other.name);
        if (c == 0) {
            c = Bytes.compareUtf8(version, other.version);
        }
        return c != 0 ? c : Integer.compare(flags, other.flags);
    }
}
