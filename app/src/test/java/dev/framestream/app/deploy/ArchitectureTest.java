package dev.framestream.app.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The direction docs/design.md promises, checked on the compiled main classes of every module
 * (this module sees them all): the packages form no cycle, and the engine knows nothing of Kafka
 * or Avro. Maven already keeps the modules' direction; these are the rules it cannot see.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.framestream");
    }

    @Test
    void noPackageImportsOneThatImportsItBack() {
        slices().matching("dev.framestream.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theEngineNeverLearnsThatKafkaOrAvroExist() {
        noClasses().that().resideInAPackage("dev.framestream.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..", "dev.framestream.schemas..")
                .check(classes);
    }

    @Test
    void onlyTheAppReachesTheBenchmarks() {
        noClasses().that().resideOutsideOfPackages("dev.framestream.bench..", "dev.framestream.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.framestream.bench..")
                .check(classes);
    }
}
