package io.flotilla.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/rbac.yaml grants what the store and the leader election use, and no more. */
class RbacTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static String document(String kind) throws IOException {
    String all = Files.readString(Path.of("../deploy/rbac.yaml"));
    return Arrays.stream(all.split("\n---\n"))
        .filter(d -> d.contains("\nkind: " + kind + "\n"))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> granted(List<PolicyRule> rules, String group, String verb) {
    return rules.stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getVerbs().contains(verb))
        .flatMap(r -> r.getResources().stream())
        .toList();
  }

  @Test
  void theClusterRoleCoversEveryFlotillaKindAndItsStatus() throws IOException {
    ClusterRole role = YAML.unmarshal(document("ClusterRole"), ClusterRole.class);

    for (FlotillaKind k : FlotillaKinds.ALL) {
      for (String verb : List.of("get", "list", "watch", "create", "update", "delete")) {
        assertThat(granted(role.getRules(), "flotilla.io", verb)).as(verb).contains(k.plural());
      }
      assertThat(granted(role.getRules(), "flotilla.io", "update"))
          .contains(k.plural() + "/status");
    }
  }

  @Test
  void leasesSecretsAndTheLeaderLabelAreGrantedInFlotillaSystemOnly() throws IOException {
    Role role = YAML.unmarshal(document("Role"), Role.class);

    assertThat(role.getMetadata().getNamespace()).isEqualTo("flotilla-system");
    assertThat(granted(role.getRules(), "coordination.k8s.io", "update")).containsExactly("leases");
    assertThat(granted(role.getRules(), "", "get")).containsExactlyInAnyOrder("secrets", "pods");
    assertThat(granted(role.getRules(), "", "list")).containsExactly("pods");
    assertThat(granted(role.getRules(), "", "patch")).containsExactly("pods");
    assertThat(granted(role.getRules(), "", "update")).isEmpty();
  }
}
