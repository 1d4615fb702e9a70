package dev.cutter.kinds.packages;

import dev.cutter.kinds.build.BuildSection;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Fields;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Template;
import dev.cutter.spec.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code packages:}: .deb and .rpm packages per platform, with relations, scripts and an rpm signature. */
public final class PackageSection extends EntrySection<PackageSpec> {
    public static final PackageSection SECTION = new PackageSection();

    private static final Pattern DEB_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern RPM_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]*");

    private PackageSection() {
        super("packages");
    }

    @Override
    protected PackageSpec entry(SectionReader reader, Fields f, String id, String at) {
        MatrixSpec matrix = reader.matrix(f);
        List<String> formats = f.list("formats", (n, a) -> f.scalar(n, a).map(v -> {
            if (!v.equals("deb") && !v.equals("rpm")) {
                f.problem(n.location(), a, "'" + v + "' is not a package format; write deb or rpm");
                return null;
            }
            return v;
        }).orElse(null));
        Map<String, List<Template>> relations = new LinkedHashMap<>();
        for (String relation : List.of("depends", "recommends", "suggests", "conflicts", "provides", "replaces")) {
            List<Template> values = f.templates(relation);
            if (!values.isEmpty()) {
                relations.put(relation, values);
            }
        }
        Optional<Template> key = Optional.empty();
        Optional<Template> passphrase = Optional.empty();
        Optional<YamlNode> signNode = f.node("sign");
        if (signNode.isPresent()) {
            Fields s = f.open(signNode.get(), f.child("sign"));
            key = Optional.of(s.requiredTemplate("key", "\"${file:keys/package-key.asc}\""));
            passphrase = s.template("passphrase");
            s.finish();
            if (!formats.isEmpty() && !formats.contains("rpm")) {
                f.problem(f.location(), at + ".sign", "only .rpm packages carry signatures (apt checks the signed"
                        + " repository, not the .deb); remove sign or add rpm to formats");
            }
        }
        PackageSpec pkg = new PackageSpec(id, matrix, formats.isEmpty() ? List.of("deb", "rpm") : formats,
                f.template("name", id), f.template("description", id), f.template("maintainer"), f.template("homepage"),
                f.template("license"), f.template("section"), Map.copyOf(relations), reader.installPaths(f, "files"),
                reader.installPaths(f, "config-files"), reader.scripts(f), key, passphrase, f.strings("needs"), f.location());
        if (pkg.files().isEmpty()) {
            f.problem(f.location(), at, "installs no files; add e.g. files: { /usr/bin/my-app: \"dist/{platform.arch}/my-app\" }");
        }
        if (pkg.formats().contains("deb") && pkg.maintainer().isEmpty()) {
            f.problem(f.location(), at, "a .deb must name its maintainer (Debian policy 5.6.2; dpkg and lintian refuse it"
                    + " otherwise); add e.g. maintainer: \"Jane Doe <jane@example.org>\"");
        }
        return pkg;
    }

    @Override
    protected void check(PackageSpec p, String at, SectionChecks checks) {
        PlaceholderScope scope = checks.scope(p.matrix(), at);
        if (!p.matrix().hasPlatforms()) {
            checks.problem(p.location(), at, "a package needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]");
        }
        for (Template t : List.of(p.name(), p.description())) {
            checks.check(t, scope, false);
        }
        for (var t : List.of(p.maintainer(), p.homepage(), p.license(), p.section())) {
            t.ifPresent(v -> checks.check(v, scope, false));
        }
        p.relations().values().forEach(list -> list.forEach(t -> checks.check(t, scope, false)));
        p.files().values().forEach(t -> checks.check(t, scope, false));
        p.configFiles().values().forEach(t -> checks.check(t, scope, false));
        p.scripts().values().forEach(t -> checks.check(t, scope, false));
        p.signKey().ifPresent(t -> checks.check(t, scope, true));
        p.signPassphrase().ifPresent(t -> checks.check(t, scope, true));
        BuildSection.checkNeeds(p.needs(), at, p.location(), checks);
    }

    @Override
    public void checkFiles(List<PackageSpec> packages, SectionChecks checks) {
        for (var pkg : packages) {
            for (Cell cell : Matrix.expand(pkg.matrix())) {
                pkg.files().values().forEach(t -> checks.projectFile(t, cell));
                pkg.configFiles().values().forEach(t -> checks.projectFile(t, cell));
                pkg.scripts().values().forEach(t -> checks.projectFile(t, cell));
            }
        }
        for (int i = 0; i < packages.size(); i++) {
            var pkg = packages.get(i);
            String at = "packages[" + i + "]";
            for (String format : pkg.formats()) {
                for (Cell cell : Matrix.expand(pkg.matrix())) {
                    String name = checks.sample(pkg.name(), cell, "x");
                    boolean deb = format.equals("deb");
                    if (!(deb ? DEB_NAME : RPM_NAME).matcher(name).matches()) {
                        if (checks.firstTime(at + format + name)) {
                            checks.problem(pkg.name().location(), at + ".name", "'" + name + "' is not " + (deb
                                    ? "a Debian package name (Debian Policy 5.6.7: lower-case letters, digits, '+', '-' and"
                                    + " '.', at least two, starting with a letter or digit)"
                                    : "an rpm package name (letters, digits, '.', '_', '+' and '-', not starting with '.' or"
                                    + " '-')") + "; write e.g. my-app");
                        }
                        continue;
                    }
                    String arch = cell.lookup(MatrixSpec.PLATFORM + ".arch").orElse("all");
                    checks.uniqueOutput(format + " " + checks.sample(pkg.name(), cell, null) + " " + arch, at, cell, pkg.name(),
                            "." + format + " package");
                }
            }
        }
    }

    @Override
    public List<SectionChecks.MatrixEntry> matrices(List<PackageSpec> packages) { // a job per format and cell
        return matrices(packages, PackageSpec::matrix, p -> {
            long cells = Matrix.count(p.matrix());
            return cells > Long.MAX_VALUE / Math.max(1, p.formats().size()) ? Long.MAX_VALUE : cells * p.formats().size();
        });
    }

    @Override
    public Map<String, List<String>> selectable(List<PackageSpec> packages) {
        return selectableAs("package", packages);
    }
}
