package dev.lethe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages of src/main import one way: no two of them use each other, however indirectly; admin and the demo
 * are leaves; the bottom packages use nothing of Lethe; the event path runs ingest, delete, store; and the Redis
 * side of ingest knows nothing of ingest itself. Checked on the compiled classes.
 */
class PackageStructureTest {

    private static JavaClasses lethe;

    @BeforeAll
    static void importClasses() {
        lethe = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.lethe");
    }

    @Test
    void noPackagesUseEachOther() {
        slices().matching("dev.lethe.(**)").should().beFreeOfCycles().check(lethe);
    }

    @Test
    void adminAndTheDemoAreLeavesThatNothingUses() {
        noClasses().that().resideOutsideOfPackages("dev.lethe.admin..")
                .should().dependOnClassesThat().resideInAPackage("dev.lethe.admin..").check(lethe);
        noClasses().that().resideOutsideOfPackages("dev.lethe.demo..")
                .should().dependOnClassesThat().resideInAPackage("dev.lethe.demo..").check(lethe);
    }

    @Test
    void theSqlModelAndTheUtilitiesUseNothingOfLethe() {
        noClasses().that().resideInAPackage("dev.lethe.sql..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lethe", "dev.lethe.admin..", "dev.lethe.catalog..", "dev.lethe.config..",
                        "dev.lethe.coordination..", "dev.lethe.delete..", "dev.lethe.demo..", "dev.lethe.health..",
                        "dev.lethe.ingest..", "dev.lethe.metrics..", "dev.lethe.outbox..", "dev.lethe.schema..",
                        "dev.lethe.store..", "dev.lethe.support..", "dev.lethe.sweep..").check(lethe);
        noClasses().that().resideInAPackage("dev.lethe.support..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lethe", "dev.lethe.admin..", "dev.lethe.catalog..", "dev.lethe.config..",
                        "dev.lethe.coordination..", "dev.lethe.delete..", "dev.lethe.demo..", "dev.lethe.health..",
                        "dev.lethe.ingest..", "dev.lethe.metrics..", "dev.lethe.outbox..", "dev.lethe.schema..",
                        "dev.lethe.sql..", "dev.lethe.store..", "dev.lethe.sweep..").check(lethe);
    }

    @Test
    void theEventPathRunsIngestToDeleteToStore() {
        noClasses().that().resideInAPackage("dev.lethe.delete..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lethe.ingest..", "dev.lethe.sweep..").check(lethe);
        noClasses().that().resideInAPackage("dev.lethe.store..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lethe.delete..", "dev.lethe.ingest..", "dev.lethe.sweep..").check(lethe);
        noClasses().that().resideInAPackage("dev.lethe.ingest.redis..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lethe.ingest", "dev.lethe.delete..").check(lethe);
    }

    @Test
    void noPackageIsNamedLikeMavensBuildFolder() {
        noClasses().should().resideInAPackage("dev.lethe.target..").allowEmptyShould(true).check(lethe);
    }
}
