package dev.cutter.kinds.packages;

import dev.cutter.plan.Action;
import dev.cutter.plan.PackageArch;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.spec.Cell;
import dev.cutter.spec.MatrixSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One package job per format and matrix cell, after the builds whose outputs it installs. */
final class PackagePlanning implements PlanStep {
    @Override
    public void plan(Planning planning) {
        var context = planning.context();
        for (PackageSpec pkg : PackageSection.SECTION.of(planning.spec())) {
            if (!planning.selected("package", pkg.id())) {
                continue;
            }
            for (String format : pkg.formats()) {
                for (Cell cell : planning.cells(pkg.matrix())) {
                    Needs needs = planning.buildsNamed(pkg.needs());
                    Map<String, String> contents = planning.files(pkg.files(), cell, needs);
                    Map<String, String> config = planning.files(pkg.configFiles(), cell, needs);
                    String name = planning.render(pkg.name(), cell);
                    if (!name.matches("[A-Za-z0-9][A-Za-z0-9+._-]*")) {
                        throw new PlanException(planning.where(pkg.name(), 0) + "'" + name + "' is not a package name; "
                                + "use lowercase letters, digits, '+', '-' and '.'");
                    }
                    String arch = PackageArch.of(format, cell.get(MatrixSpec.PLATFORM).map(v -> v.fields().get("arch")).orElse("all"));
                    String version = PackageArch.version(format, context.version().text());
                    String file = format.equals("deb") ? name + "_" + version + "_" + arch + ".deb"
                            : name + "-" + version + "-" + PackageArch.RPM_RELEASE + "." + arch + ".rpm";
                    Map<String, List<String>> relations = new TreeMap<>();
                    pkg.relations().forEach((k, v) -> relations.put(k, planning.render(v, cell)));
                    boolean rpm = format.equals("rpm");
                    planning.add("package", pkg.id(), cell, List.of(format), needs, Optional.empty(),
                            new Action.Package(format, name, version, arch, planning.render(pkg.description(), cell),
                                    planning.render(pkg.maintainer(), cell), planning.render(pkg.homepage(), cell),
                                    planning.render(pkg.license(), cell), planning.render(pkg.section(), cell), relations,
                                    contents, config, new TreeMap<>(planning.render(pkg.scripts(), cell)), file,
                                    rpm ? planning.render(pkg.signKey(), cell) : Optional.empty(),
                                    rpm ? planning.render(pkg.signPassphrase(), cell) : Optional.empty()));
                }
            }
        }
    }
}
