package dev.cutter.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A starter {@code cutter.yaml} for a project directory, from what is there: {@code go.mod} names
 * the project (else the directory does), a {@code Dockerfile} makes an image built from it and
 * written to an OCI layout under {@code dist/oci}, the executables under {@code dist/} go into a
 * tarball with its checksums, and {@code debian/} makes a .deb of them (its name, maintainer and
 * description from {@code debian/control} when it has them). Every value read from the project is
 * written as a quoted YAML string, and names are kept to what the spec accepts.
 *
 * @param text the spec
 * @param project the project's name
 * @param found what was found and what it became, one line each ({@code "Dockerfile: image app"})
 */
public record Starter(String text, String project, List<String> found) {
    private static final Pattern MODULE = Pattern.compile("(?m)^module\\s+\"?([^\\s\"]+)\"?\\s*$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The starter spec of {@code directory}. */
    public static Starter of(Path directory) throws IOException {
        List<String> found = new ArrayList<>();
        String project = goModule(directory).map(module -> {
            found.add("go.mod: project " + module);
            return module;
        }).orElseGet(() -> name(directory.toAbsolutePath().normalize().getFileName() == null ? "my-app"
                : directory.toAbsolutePath().normalize().getFileName().toString()));
        StringBuilder spec = new StringBuilder();
        spec.append("# A starter spec written by `cutter init`: check it with `cutter validate`, see what a release would do\n")
                .append("# with `cutter plan --version 0.1.0`, and docs/spec.md for every key. For completion in an editor,\n")
                .append("# write `cutter schema -o cutter.schema.json` and put this as the first line:\n")
                .append("#   # yaml-language-server: $schema=./cutter.schema.json\n")
                .append("project: ").append(quote(project)).append('\n')
                .append("version:\n  tag: \"v{version}\"\n");

        List<String> binaries = binaries(directory.resolve("dist"));
        Optional<PerPlatform> perPlatform = PerPlatform.of(binaries);
        boolean dockerfile = Files.isRegularFile(directory.resolve("Dockerfile"));
        if (dockerfile) {
            found.add("Dockerfile: image " + project + ", written to the OCI layout dist/oci");
            spec.append("registries:\n")
                    .append("  local: { layout: dist/oci }     # a registry instead: { url: registry.example.com }\n")
                    .append("images:\n")
                    .append("  - id: ").append(quote(project)).append('\n')
                    .append("    platforms: [").append(perPlatform.map(p -> String.join(", ", p.platforms())).orElse("linux/amd64"))
                    .append("]\n")
                    .append("    dockerfile: Dockerfile\n")
                    .append("    push: ").append(quote("local/" + project.toLowerCase(java.util.Locale.ROOT))).append('\n')
                    .append("    tags: [ \"{version}\" ]\n");
        }

        if (!binaries.isEmpty()) {
            found.add("dist/: archive " + project + " of " + String.join(", ", binaries) + ", with SHA256SUMS");
            spec.append("archives:\n")
                    .append("  - id: ").append(quote(project)).append('\n')
                    .append("    name: ").append(quote(project + "-{version}.tar.gz")).append('\n')
                    .append("    format: tar.gz\n")
                    .append("    files:\n");
            for (String binary : binaries) {
                spec.append("      - ").append(quote("dist/" + binary)).append('\n');
            }
        }

        if (Files.isDirectory(directory.resolve("debian"))) {
            Control control = Control.read(directory.resolve("debian/control"));
            String name = debianName(control.get("Package").orElse(project));
            // a package with nothing to install is refused: without programs in dist/ it is written as a comment to fill in
            String indent = binaries.isEmpty() ? "# " : "";
            found.add("debian/: .deb package " + name + (binaries.isEmpty() ? " (commented out: put its programs in dist/)" : ""));
            spec.append(indent).append("packages:\n")
                    .append(indent).append("  - id: ").append(quote(name)).append('\n')
                    .append(indent).append("    formats: [deb]\n")
                    .append(indent).append("    platforms: [")
                    .append(perPlatform.map(p -> String.join(", ", p.platforms())).orElse("linux/amd64")).append("]\n")
                    .append(indent).append("    description: ").append(literal(control.get("Description").filter(Starter::plain).orElse(project)))
                    .append('\n')
                    .append(indent).append("    maintainer: ")
                    .append(literal(control.get("Maintainer").filter(Starter::plain).orElse("Maintainer <maintainer@example.com>")))
                    .append('\n')
                    .append(indent).append("    files:\n");
            if (binaries.isEmpty()) {
                spec.append(indent).append("      /usr/bin/").append(name).append(": dist/").append(name).append('\n');
            } else {
                java.util.Set<String> installed = new java.util.HashSet<>();
                for (String binary : perPlatform.map(PerPlatform::files).orElse(binaries)) {
                    String base = binary.substring(binary.lastIndexOf('/') + 1);
                    if (installed.add(base)) { // one program of a name in /usr/bin
                        spec.append("      ").append(quote("/usr/bin/" + base)).append(": ").append(quote("dist/" + binary)).append('\n');
                    }
                }
            }
        }
        if (!binaries.isEmpty()) {
            spec.append("checksums: true\n");
        }
        return new Starter(spec.toString(), project, List.copyOf(found));
    }

    /**
     * Executables laid out by platform, {@code OS-ARCH/NAME} (or {@code OS_ARCH}) for every platform
     * alike: the platforms as the spec writes them and each file as a template of {@code {platform.os}}
     * and {@code {platform.arch}}.
     */
    record PerPlatform(List<String> platforms, List<String> files) {
        private static final Pattern LAID = Pattern.compile("(linux)([-_])(amd64|arm64|386|arm|ppc64le|s390x|riscv64)/(.+)");

        static Optional<PerPlatform> of(List<String> binaries) {
            java.util.Set<String> platforms = new java.util.TreeSet<>();
            java.util.Set<String> separators = new java.util.TreeSet<>();
            java.util.Map<String, java.util.Set<String>> names = new java.util.TreeMap<>();
            for (String binary : binaries) {
                Matcher m = LAID.matcher(binary);
                if (!m.matches()) {
                    return Optional.empty();
                }
                platforms.add(m.group(1) + "/" + m.group(3));
                separators.add(m.group(2));
                names.computeIfAbsent(m.group(4), n -> new java.util.TreeSet<>()).add(m.group(1) + "/" + m.group(3));
            }
            if (separators.size() != 1 || names.values().stream().anyMatch(p -> !p.equals(platforms))) {
                return Optional.empty();
            }
            String separator = separators.iterator().next();
            List<String> files = names.keySet().stream().map(n -> "{platform.os}" + separator + "{platform.arch}/" + n).toList();
            return Optional.of(new PerPlatform(List.copyOf(platforms), files));
        }
    }

    /** The last element of go.mod's module path, without a major-version suffix ({@code example.com/acme/tool/v2} → {@code tool}). */
    static Optional<String> goModule(Path directory) throws IOException {
        Path mod = directory.resolve("go.mod");
        if (!Files.isRegularFile(mod)) {
            return Optional.empty();
        }
        Matcher m = MODULE.matcher(Files.readString(mod));
        if (!m.find()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>(List.of(m.group(1).split("/")));
        if (parts.size() > 1 && parts.getLast().matches("v[0-9]+")) {
            parts.removeLast();
        }
        return Optional.of(name(parts.getLast()));
    }

    /** {@code text} as a Debian package name (Debian Policy 5.6.7): lower case, letters, digits, '+', '-', '.', two at least. */
    static String debianName(String text) {
        String name = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9+.-]+", "-").replaceAll("^[^a-z0-9]+", "");
        return name.length() >= 2 ? name : name + "-pkg";
    }

    /** {@code text} as a project or id name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
    static String name(String text) {
        String name = text.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return NAME.matcher(name).matches() ? name : "my-app";
    }

    /** The executable files under {@code dist} (not in its oci/ layouts), relative to it, in name order. */
    static List<String> binaries(Path dist) throws IOException {
        if (!Files.isDirectory(dist)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dist, 3)) {
            return files.filter(Files::isRegularFile).filter(Files::isExecutable)
                    .map(f -> dist.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.startsWith("oci/") && f.matches("[A-Za-z0-9._/-]+"))
                    .sorted().toList();
        }
    }

    /**
     * Whether {@code text} can be written as a template meaning just it: {@code ${…}} cannot (it would
     * be a secret reference, or shell text kept up to its first brace), so such a value is not used.
     */
    static boolean plain(String text) {
        return !text.contains("${");
    }

    /** Text read from the project as a template that means just it: its braces doubled, then quoted. */
    static String literal(String text) {
        return quote(text.replace("{", "{{").replace("}", "}}"));
    }

    /** A YAML double-quoted string; braces stay, as a spec's placeholders are written in them. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The fields of debian/control's stanzas that a starter uses: the first value of each, on its first line. */
    record Control(java.util.Map<String, String> fields) {
        static Control read(Path file) throws IOException {
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                        fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                    }
                }
            }
            return new Control(fields);
        }

        Optional<String> get(String field) {
            return Optional.ofNullable(fields.get(field)).filter(v -> !v.isBlank());
        }
    }
}
