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
    void onlyTheCompositionRootReadsTheEnvironment() {
        // RegistryClient's timeout variable moves out with the registry port rework (issue 17, item 4)
        noClasses().that().doNotHaveFullyQualifiedName("dev.cutter.app.Services")
                .and().doNotHaveFullyQualifiedName("dev.cutter.oci.RegistryClient")
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("the environment is a parameter of dev.cutter.app.Services, so tests and the server choose it")
                .check(CLASSES);
    }
}
