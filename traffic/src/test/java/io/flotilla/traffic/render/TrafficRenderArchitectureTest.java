package io.flotilla.traffic.render;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.flotilla.cluster.Member;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rendering global endpoints is pure (DESIGN.md §2): io.flotilla.traffic.render reaches no member
 * cluster, store, Kubernetes client, network or file. The rule is shown to catch a class that
 * breaks it, so it cannot pass vacuously.
 */
class TrafficRenderArchitectureTest {
  private static final ArchRule PURE =
      noClasses()
          .that()
          .resideInAPackage("io.flotilla.traffic.render..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.flotilla.cluster..",
              "io.flotilla.store..",
              "io.flotilla.propagation..",
              "io.fabric8..",
              "java.net..",
              "java.nio.file..",
              "java.io..")
          .because("rendering is pure: the controller does the I/O");

  @Test
  void renderingTouchesNoMemberStoreNetworkOrFile() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.flotilla.traffic.render");
    assertThat(main).isNotEmpty();
    PURE.check(main);
  }

  /** Breaks the rule on purpose: reads from a member cluster. */
  static final class Violator {
    Optional<?> read(Member m) {
      return m.get(null);
    }
  }

  @Test
  void theRuleCatchesARendererThatReadsAMember() {
    JavaClasses violator = new ClassFileImporter().importClasses(Violator.class);
    assertThat(PURE.evaluate(violator).hasViolation()).isTrue();
  }
}
