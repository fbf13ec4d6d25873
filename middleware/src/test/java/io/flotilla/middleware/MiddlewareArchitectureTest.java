package io.flotilla.middleware;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Adapters are pure: rendering and launch descriptions never do I/O or read clocks. */
class MiddlewareArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.flotilla.middleware");

  @Test
  void adaptersDoNoIo() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.net..",
            "java.nio.file..",
            "io.fabric8.kubernetes.client..",
            "io.flotilla.runtime..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .because("adapters describe; the runtime and operations act")
        .check(MAIN);
  }

  @Test
  void adaptersReadNoClockOrEnvironment() {
    noClasses()
        .should()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .check(MAIN);
  }
}
