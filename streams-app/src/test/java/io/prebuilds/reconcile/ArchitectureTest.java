package io.prebuilds.reconcile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decision core stays pure: the JDK and itself, nothing else (no Kafka, no schemas). */
class ArchitectureTest {

  @Test
  void decisionCoreDependsOnlyOnTheJdkAndItself() {
    JavaClasses core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.prebuilds.reconcile");
    classes()
        .that()
        .resideInAPackage("io.prebuilds.reconcile..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.prebuilds.reconcile..")
        .check(core);
  }
}
