package dev.cutter.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

    /** The ports: each speaks to one kind of target and knows nothing of specs, plans, runs or the ledger. */
    static final String[] CAPABILITIES = {"dev.cutter.oci..", "dev.cutter.archive..", "dev.cutter.sign..", "dev.cutter.pkg..",
        "dev.cutter.repo..", "dev.cutter.release..", "dev.cutter.git..", "dev.cutter.pin..", "dev.cutter.http..",
        "dev.cutter.content..", "dev.cutter.process.."};

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("dev.cutter.(*)..")
                .should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void capabilitiesImportNoSpecPlanRunOrLedger() {
        noClasses().that().resideInAnyPackage(CAPABILITIES).should().dependOnClassesThat()
                .resideInAnyPackage("dev.cutter.spec..", "dev.cutter.plan..", "dev.cutter.run..", "dev.cutter.ledger..")
                .check(CLASSES);
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
