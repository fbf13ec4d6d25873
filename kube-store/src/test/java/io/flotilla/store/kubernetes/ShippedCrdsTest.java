package io.flotilla.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs shipped in {@code deploy/crds} are what {@link CrdGenerator} writes from the model (run
 * with {@code -Dcrds.update=true} to rewrite them, then review the diff), and read as the
 * CustomResourceDefinitions they claim to be.
 */
class ShippedCrdsTest {
  static final Path DIR = Path.of("../deploy/crds");

  @Test
  void theShippedFilesAreWhatTheGeneratorWritesFromTheModel() throws IOException {
    Map<String, String> generated = CrdGenerator.files();
    if (Boolean.getBoolean("crds.update")) {
      CrdGenerator.write(DIR);
    }
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path file = DIR.resolve(e.getKey());
      assertThat(file).as(file + " (write it with -Dcrds.update=true)").exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as(file + " differs from the model (rewrite it with -Dcrds.update=true)")
          .isEqualTo(e.getValue());
    }
    try (Stream<Path> files = Files.list(DIR)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .as("every file in " + DIR + " is generated")
          .containsExactlyElementsOf(generated.keySet().stream().sorted().toList());
    }
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("Middleware", "middlewares", "Namespaced", List.of("mw")),
        Arguments.of("MemberCluster", "memberclusters", "Cluster", List.of("mc")),
        Arguments.of("PropagationPolicy", "propagationpolicies", "Namespaced", List.of("pp")),
        Arguments.of("OverridePolicy", "overridepolicies", "Namespaced", List.of("op")),
        Arguments.of("ResourceBinding", "resourcebindings", "Namespaced", List.of("rb")));
  }

  @ParameterizedTest(name = "{0} is {2}, served as {1}.flotilla.io/v1alpha1 with status")
  @MethodSource("kinds")
  void eachShippedCrdReadsAsACustomResourceDefinition(
      String kind, String plural, String scope, List<String> shortNames) throws IOException {
    String yaml = Files.readString(DIR.resolve(plural + ".flotilla.io.yaml"));

    CustomResourceDefinition crd =
        new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);

    assertThat(crd.getMetadata().getName()).isEqualTo(plural + ".flotilla.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("flotilla.io");
    assertThat(crd.getSpec().getScope()).isEqualTo(scope);
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(kind);
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(plural);
    assertThat(crd.getSpec().getNames().getShortNames()).isEqualTo(shortNames);
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getServed()).isTrue();
    assertThat(v.getStorage()).isTrue();
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getSchema().getOpenAPIV3Schema().getProperties())
        .containsKeys("apiVersion", "kind", "metadata", "spec", "status");
    assertThat(
            v.getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("status")
                .getXKubernetesPreserveUnknownFields())
        .isTrue();
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .last()
        .isEqualTo("Age");
  }
}
