package io.twinlog.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering that keeps the fold testable and its semantics in one place, over every module the
 * CLI puts together (all but the benchmarks). The domain and its replay kernel (the fold module)
 * are plain Java on twinlog's own records: no Flink, no Kafka, no job plumbing; Maven enforces the
 * same on the module's class path. The read side runs without Flink. No package depends on itself
 * through others, the CLI's included.
 */
class ArchitectureTest {

    private static final String[] DOMAIN = {
        "io.twinlog.twin..",
        "io.twinlog.alerts..",
        "io.twinlog.ingest..",
        "io.twinlog.kernel..",
        "io.twinlog.backtest.."
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
                        "io.twinlog.readside..",
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
    void theReadSideRunsWithoutFlink() {
        noClasses()
                .that()
                .resideInAPackage("io.twinlog.readside..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.flink..")
                .because("the read side is a service of its own, not a Flink job")
                .check(CLASSES);
    }

    @Test
    void onlyTheCliReachesIntoTheJob() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.twinlog.readside..", "io.twinlog.options..", "io.twinlog.connect..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.twinlog.jobs..")
                .because(
                        "the read side and the Kafka Streams baseline run the fold through connect,"
                                + " not through the Flink job (docs/ARCHITECTURE.md)")
                .check(CLASSES);
    }

    @Test
    void theOptionsAndTheKafkaEdgeUseFlinksConfigurationOnly() {
        noClasses()
                .that()
                .resideInAnyPackage("io.twinlog.options..", "io.twinlog.connect..")
                .should()
                .dependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "Flink classes other than its configuration",
                                (com.tngtech.archunit.core.domain.JavaClass c) ->
                                        c.getPackageName().startsWith("org.apache.flink")
                                                && !c.getPackageName()
                                                        .startsWith(
                                                                "org.apache.flink.configuration")
                                                && !c.getPackageName()
                                                        .equals("org.apache.flink.util")))
                .because("they run outside a Flink cluster: in the read side and the baseline")
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
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.kernel"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.readside"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.cli"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.options"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("io.twinlog.connect"))
                .isTrue();
    }
}
