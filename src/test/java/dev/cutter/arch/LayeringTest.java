package dev.cutter.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cutter.oci.Repository;
import org.junit.jupiter.api.Test;

/** Arrows point down: the pure core stays pure, and nothing reaches up into the shells. */
class LayeringTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.cutter");

    @Test
    void onlyTheCliUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("dev.cutter.cli..").should().dependOnClassesThat()
                .resideInAPackage("picocli..").check(CLASSES);
    }

    @Test
    void nothingDependsOnTheCliOrTheServer() {
        noClasses().that().resideOutsideOfPackages("dev.cutter.cli..", "dev.cutter.server..").should()
                .dependOnClassesThat().resideInAnyPackage("dev.cutter.cli..", "dev.cutter.server..").check(CLASSES);
    }

    @Test
    void theVersionPackageDependsOnNoOtherPartOfCutter() {
        noClasses().that().resideInAPackage("dev.cutter.version..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.cutter.spec..", "dev.cutter.plan..", "dev.cutter.git..", "dev.cutter.cli..")
                .check(CLASSES);
    }

    @Test
    void specPlanAndVersionDoNoNetworkOrProcessIo() {
        noClasses().that().resideInAnyPackage("dev.cutter.spec..", "dev.cutter.plan..", "dev.cutter.version..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.net.http..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .check(CLASSES);
    }

    @Test
    void thePlannerReadsNoFiles() {
        noClasses().that().resideInAPackage("dev.cutter.plan..").should().dependOnClassesThat()
                .haveFullyQualifiedName("java.nio.file.Files").check(CLASSES);
    }

    @Test
    void onlyTheProcessPortStartsProcesses() {
        // Shell and ProcessTree stream a job's output and freeze its tree by a mark: the engine's own process control
        noClasses().that().doNotHaveFullyQualifiedName("dev.cutter.process.LocalProcessRunner")
                .and().doNotHaveFullyQualifiedName("dev.cutter.run.jobs.Shell")
                .and().doNotHaveFullyQualifiedName("dev.cutter.run.jobs.ProcessTree")
                .should().dependOnClassesThat().haveNameMatching("java\\.lang\\.ProcessBuilder(\\$.*)?").check(CLASSES);
    }

    /** Git is one port: the engine and the capabilities reach repositories and remotes through {@code dev.cutter.git}. */
    @Test
    void onlyTheGitPortUsesJGit() {
        noClasses().that().resideOutsideOfPackage("dev.cutter.git..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..").check(CLASSES);
    }

    /** The ports: each speaks to one kind of target and knows nothing of specs, plans, runs or the ledger. */
    static final String[] PORTS = {"dev.cutter.oci..", "dev.cutter.archive..", "dev.cutter.sign..", "dev.cutter.pkg..",
        "dev.cutter.repo..", "dev.cutter.release..", "dev.cutter.git..", "dev.cutter.pin..", "dev.cutter.http..",
        "dev.cutter.content..", "dev.cutter.process..", "dev.cutter.build..", "dev.cutter.sbom..", "dev.cutter.attest..",
        "dev.cutter.sigstore.."};

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("dev.cutter.(*)..")
                .should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void portsImportNoSpecPlanRunOrLedger() {
        noClasses().that().resideInAnyPackage(PORTS).should().dependOnClassesThat()
                .resideInAnyPackage("dev.cutter.spec..", "dev.cutter.plan..", "dev.cutter.run..", "dev.cutter.ledger..")
                .check(CLASSES);
    }

    /**
     * The capabilities ({@code dev.cutter.kinds.*}) sit above the pipeline: the loader, the planner
     * and the engine loop over their list and name none of them.
     */
    @Test
    void thePipelineNamesNoCapability() {
        noClasses().that().resideInAnyPackage("dev.cutter.spec..", "dev.cutter.plan..", "dev.cutter.run..",
                "dev.cutter.ledger..", "dev.cutter.version..").or().resideInAnyPackage(PORTS)
                .should().dependOnClassesThat().resideInAPackage("dev.cutter.kinds..").check(CLASSES);
    }

    /** Capabilities may build on each other (a release's assets are archives), never in a circle. */
    @Test
    void capabilitiesDependOnEachOtherWithoutCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("dev.cutter.kinds.(*)..")
                .should().beFreeOfCycles().check(CLASSES);
    }

    /** The files of the image port depend on each other without a circle, so each can be read and tested alone. */
    @Test
    void theImagePortsFilesHaveNoCycles() {
        java.util.Map<String, java.util.Set<String>> uses = new java.util.TreeMap<>();
        for (com.tngtech.archunit.core.domain.JavaClass c : CLASSES) {
            if (!c.getPackageName().equals("dev.cutter.oci")) {
                continue;
            }
            String file = fileOf(c);
            java.util.Set<String> targets = uses.computeIfAbsent(file, k -> new java.util.TreeSet<>());
            c.getDirectDependenciesFromSelf().stream().map(com.tngtech.archunit.core.domain.Dependency::getTargetClass)
                    .filter(t -> t.getPackageName().equals("dev.cutter.oci")).map(LayeringTest::fileOf)
                    .filter(t -> !t.equals(file)).forEach(targets::add);
        }
        java.util.List<String> cycles = new java.util.ArrayList<>();
        for (String start : uses.keySet()) {
            java.util.Deque<java.util.List<String>> paths = new java.util.ArrayDeque<>();
            paths.push(java.util.List.of(start));
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!paths.isEmpty()) {
                java.util.List<String> path = paths.pop();
                for (String next : uses.getOrDefault(path.get(path.size() - 1), java.util.Set.of())) {
                    if (next.equals(start)) {
                        cycles.add(String.join(" -> ", path) + " -> " + start);
                    } else if (seen.add(next)) {
                        java.util.List<String> longer = new java.util.ArrayList<>(path);
                        longer.add(next);
                        paths.push(longer);
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(cycles).as("cycles among dev.cutter.oci's files").isEmpty();
    }

    /** The top-level class (the file) {@code c} belongs to. */
    private static String fileOf(com.tngtech.archunit.core.domain.JavaClass c) {
        String name = c.getName().substring(c.getPackageName().length() + 1);
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    /**
     * A command reads its spec through one mixin ({@code SpecWiring}: {@code -f} and the services
     * it loads the spec with), so {@code -f} means the same file, found the same way, everywhere.
     */
    @Test
    void onlyTheSpecMixinTakesTheSpecOption() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields().that().haveRawType("dev.cutter.cli.SpecOptions")
                .should().beDeclaredIn("dev.cutter.cli.SpecWiring").check(CLASSES);
    }

    @Test
    void onlyTheCompositionRootReadsTheEnvironment() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.cutter.app.Services")
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("the environment is a parameter of dev.cutter.app.Services, so tests and the server choose it")
                .check(CLASSES);
    }
}
