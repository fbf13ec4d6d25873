package io.flotilla.propagation.render;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.cluster.Member;
import io.flotilla.store.ObjectStore;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendering is pure (DESIGN.md §2): io.flotilla.propagation.render touches no network, file, member
 * cluster, store, Kubernetes client, thread, environment or clock. Each rule is checked on the main
 * classes and shown to catch a class that breaks it, so none can pass vacuously.
 */
class RenderArchitectureTest {
  private static final String RENDER = "io.flotilla.propagation.render..";

  private static JavaClasses main;
  private static JavaClasses violators;

  @BeforeAll
  static void importClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.flotilla.propagation.render");
    violators =
        new ClassFileImporter()
            .importClasses(rules().map(r -> r.getPayload().violator()).toArray(Class<?>[]::new));
  }

  private static final DescribedPredicate<JavaMethodCall> READS_A_CLOCK =
      DescribedPredicate.describe(
          "reads a clock (a java.time now(), Clock.system*, System.currentTimeMillis or nanoTime)",
          call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            return owner.startsWith("java.time.") && name.equals("now")
                || owner.equals(Clock.class.getName()) && name.startsWith("system")
                || owner.equals(System.class.getName())
                    && (name.equals("currentTimeMillis") || name.equals("nanoTime"));
          });

  /** A rule and a class (in the render package, in the test sources) that breaks it. */
  record Rule(ArchRule rule, Class<?> violator) {}

  private static ArchRule noDependencyOn(String... packages) {
    return noClasses()
        .that()
        .resideInAPackage(RENDER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages);
  }

  static Stream<Named<Rule>> rules() {
    return Stream.of(
        named(
            "rendering does not use the network",
            new Rule(noDependencyOn("java.net.."), UsesTheNetwork.class)),
        named(
            "rendering does not use java.nio.file",
            new Rule(noDependencyOn("java.nio.file.."), UsesPaths.class)),
        named(
            "rendering does not use java.io.File",
            new Rule(
                noClasses()
                    .that()
                    .resideInAPackage(RENDER)
                    .should()
                    .dependOnClassesThat()
                    .belongToAnyOf(File.class),
                UsesFiles.class)),
        named(
            "rendering does not use the Kubernetes client",
            new Rule(
                noDependencyOn("io.fabric8.kubernetes.client.."), UsesTheKubernetesClient.class)),
        named(
            "rendering does not reach member clusters",
            new Rule(noDependencyOn("io.flotilla.cluster.."), UsesAMember.class)),
        named(
            "rendering does not use the store",
            new Rule(noDependencyOn("io.flotilla.store.."), UsesTheStore.class)),
        named(
            "rendering starts no threads",
            new Rule(
                noClasses()
                    .that()
                    .resideInAPackage(RENDER)
                    .should()
                    .dependOnClassesThat()
                    .areAssignableTo(Thread.class)
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAPackage("java.util.concurrent.."),
                UsesThreads.class)),
        named(
            "rendering does not read the environment",
            new Rule(
                noClasses()
                    .that()
                    .resideInAPackage(RENDER)
                    .should()
                    .callMethod(System.class, "getenv")
                    .orShould()
                    .callMethod(System.class, "getenv", String.class),
                ReadsTheEnvironment.class)),
        named(
            "rendering reads no clock and holds none",
            new Rule(
                noClasses()
                    .that()
                    .resideInAPackage(RENDER)
                    .should()
                    .callMethodWhere(READS_A_CLOCK)
                    .orShould()
                    .dependOnClassesThat()
                    .areAssignableTo(Clock.class),
                ReadsTheClock.class)));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void holdsForTheMainClasses(Rule r) {
    r.rule().check(main);
  }

  @ParameterizedTest
  @MethodSource("rules")
  void catchesAClassThatBreaksIt(Rule r) {
    EvaluationResult result = r.rule().evaluate(violators);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains(r.violator().getName()));
  }

  @Test
  void theImportHoldsTheRenderClassesAndNoTestClasses() {
    assertThat(main.contain(OverrideRenderer.class)).isTrue();
    assertThat(main.contain(JsonPatch.class)).isTrue();
    assertThat(main.contain(RenderArchitectureTest.class)).isFalse();
    assertThat(main.contain(UsesTheNetwork.class)).isFalse();
    assertThat(main.stream())
        .allMatch(c -> c.getPackageName().equals("io.flotilla.propagation.render"));
    assertThat(main.size()).isGreaterThan(10);
  }

  // ---- classes that break the rules (test sources only; never imported as main classes) ------

  static final class UsesTheNetwork {
    String host() {
      return URI.create("https://kubernetes.default.svc").getHost();
    }
  }

  static final class UsesPaths {
    String name() {
      return Path.of("/etc/flotilla").getFileName().toString();
    }
  }

  static final class UsesFiles {
    boolean exists() {
      return new File("/etc/flotilla").exists();
    }
  }

  static final class UsesTheKubernetesClient {
    String version(KubernetesClient client) {
      return client.getApiVersion();
    }
  }

  static final class UsesAMember {
    String name(Member member) {
      return String.valueOf(member);
    }
  }

  static final class UsesTheStore {
    String name(ObjectStore store) {
      return String.valueOf(store);
    }
  }

  static final class UsesThreads {
    String name() {
      return Thread.currentThread().getName();
    }
  }

  static final class ReadsTheEnvironment {
    String home() {
      return System.getenv("HOME");
    }
  }

  static final class ReadsTheClock {
    Instant now() {
      return Instant.now();
    }
  }
}
