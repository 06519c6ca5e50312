package io.twinlog.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering that keeps the fold testable and its semantics in one place. The domain (the fold,
 * the rules, admission) is plain Java on twinlog's own records: no Flink, no Kafka, no job
 * plumbing. No package depends on itself through others.
 */
class ArchitectureTest {

    private static final String[] DOMAIN = {
        "io.twinlog.twin..", "io.twinlog.alerts..", "io.twinlog.ingest.."
    };
    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    // Test jars of other modules (the registry's test fixtures) are not production
                    // code either.
                    .withImportOption(
                            location ->
                                    !location.contains("-tests.jar")
                                            && !location.contains("/test-classes/"))
                    .importPackages("io.twinlog");

    @Test
    void theDomainDependsOnNoEngine() {
        noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..",
                        "org.apache.kafka..",
                        "io.twinlog.jobs..",
                        "io.twinlog.cli..")
                .because(
                        "the fold, the rules and admission are plain Java with exhaustive unit tests (docs/TESTING.md)")
                .check(CLASSES);
    }

    @Test
    void theDomainUsesNoJobPlumbingRecords() {
        noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.twinlog.schema.internal..")
                .because(
                        "records that only travel between operators (raw records, sink records) belong to the job")
                .check(CLASSES);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("io.twinlog.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theRulesSeeTheWholeProject() {
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.twin"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(
                        CLASSES.containPackage("io.twinlog.jobs.functions"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.serde"))
                .isTrue();
    }
}
