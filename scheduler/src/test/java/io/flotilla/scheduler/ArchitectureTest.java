package io.flotilla.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The api and scheduler modules are pure (DESIGN.md §2, §10): no Kubernetes client, network, file
 * system or threads; no hidden clock, environment or randomness; and the model does not know the
 * scheduler. Each rule is checked on the real main classes, and shown to catch a class that breaks
 * it, so none of them can pass vacuously.
 */
class ArchitectureTest {
  private static final String[] PURE = {"io.flotilla.scheduler..", "io.flotilla.api.."};

  private static JavaClasses main;
  private static JavaClasses violators;

  @BeforeAll
  static void importClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.flotilla.scheduler", "io.flotilla.api");
    violators =
        new ClassFileImporter()
            .importClasses(rules().map(r -> r.getPayload().violator()).toArray(Class<?>[]::new));
  }

  private static final DescribedPredicate<JavaMethodCall> READS_THE_SYSTEM_CLOCK =
      DescribedPredicate.describe(
          "reads the system clock (a java.time now() without a Clock, or Clock.system*)",
          call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            return owner.startsWith("java.time.")
                    && name.equals("now")
                    && call.getTarget().getRawParameterTypes().isEmpty()
                || owner.equals(Clock.class.getName()) && name.startsWith("system");
          });

  /** A rule and a class (in a pure package, in the test sources) that breaks it. */
  record Rule(ArchRule rule, Class<?> violator) {}

  static Stream<Named<Rule>> rules() {
    return Stream.of(
        named(
            "the pure modules do not depend on the Kubernetes client or the network",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("io.fabric8.kubernetes.client..", "java.net.."),
                UsesTheNetwork.class)),
        named(
            "the pure modules do not use java.nio.file",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("java.nio.file.."),
                UsesPaths.class)),
        named(
            "the pure modules do not use java.io.File",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .belongToAnyOf(File.class),
                UsesFiles.class)),
        named(
            "the pure modules do not use java.lang.Thread",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .belongToAnyOf(Thread.class),
                UsesThreads.class)),
        named(
            "the pure modules do not read the environment (System.getenv)",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethod(System.class, "getenv")
                    .orShould()
                    .callMethod(System.class, "getenv", String.class),
                ReadsTheEnvironment.class)),
        named(
            "the pure modules do not call System.currentTimeMillis",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethod(System.class, "currentTimeMillis"),
                ReadsMillis.class)),
        named(
            "the pure modules do not call System.nanoTime",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethod(System.class, "nanoTime"),
                ReadsNanos.class)),
        named(
            "the pure modules do not call Instant.now()",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethod(Instant.class, "now"),
                ReadsInstantNow.class)),
        named(
            "the pure modules do not call LocalDateTime.now()",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethod(LocalDateTime.class, "now"),
                ReadsLocalDateTimeNow.class)),
        named(
            "the pure modules read no system clock at all: time comes from an injected Clock",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .callMethodWhere(READS_THE_SYSTEM_CLOCK),
                ReadsZonedNow.class)),
        named(
            "the pure modules use no java.util.Random (no hidden randomness)",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .areAssignableTo(Random.class)
                    .orShould()
                    .callMethod(Math.class, "random"),
                UsesRandom.class)),
        named(
            "the pure modules use no ThreadLocalRandom either",
            new Rule(
                noClasses()
                    .that()
                    .resideInAnyPackage(PURE)
                    .should()
                    .dependOnClassesThat()
                    .areAssignableTo(Random.class),
                UsesThreadLocalRandom.class)));
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

  private static ArchRule noDependency(String from, String to) {
    return noClasses()
        .that()
        .resideInAPackage(from)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(to);
  }

  @Test
  void theModelDoesNotDependOnTheScheduler() {
    noDependency("io.flotilla.api..", "io.flotilla.scheduler..").check(main);
  }

  @Test
  void theDependencyRuleSeesRealDependenciesTheSchedulerOnTheModel() {
    // the same rule, the other way round, must fail: the scheduler does use the model
    assertThat(
            noDependency("io.flotilla.scheduler..", "io.flotilla.api..")
                .evaluate(main)
                .hasViolation())
        .isTrue();
  }

  @Test
  void theImportHoldsBothModulesMainClassesAndNoTestClasses() {
    assertThat(main.contain(Scheduler.class)).isTrue();
    assertThat(main.contain(io.flotilla.scheduler.spread.EvenSpread.class)).isTrue();
    assertThat(main.contain(io.flotilla.api.Quantity.class)).isTrue();
    assertThat(main.contain(ArchitectureTest.class)).isFalse();
    assertThat(main.contain(UsesRandom.class)).isFalse();
    assertThat(main.stream().map(JavaClass::getPackageName))
        .allMatch(p -> p.startsWith("io.flotilla.scheduler") || p.startsWith("io.flotilla.api"));
    assertThat(main.size()).isGreaterThan(50);
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

  static final class ReadsMillis {
    long now() {
      return System.currentTimeMillis();
    }
  }

  static final class ReadsNanos {
    long now() {
      return System.nanoTime();
    }
  }

  static final class ReadsInstantNow {
    Instant now() {
      return Instant.now();
    }
  }

  static final class ReadsLocalDateTimeNow {
    LocalDateTime now() {
      return LocalDateTime.now();
    }
  }

  static final class ReadsZonedNow {
    ZonedDateTime now() {
      return ZonedDateTime.now();
    }
  }

  static final class UsesRandom {
    int roll() {
      return new Random(1).nextInt(6);
    }
  }

  static final class UsesThreadLocalRandom {
    int roll() {
      return ThreadLocalRandom.current().nextInt(6);
    }
  }
}
