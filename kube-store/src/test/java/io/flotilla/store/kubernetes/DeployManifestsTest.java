package io.flotilla.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment manifests (docs/deploy.md): every Kustomize directory under {@code
 * deploy/kustomize} renders with {@code kubectl kustomize} (offline); every flotilla.io object,
 * rendered or in a YAML file under {@code examples/} or {@code deploy/}, validates against its
 * CRD's {@code openAPIV3Schema} from {@code deploy/crds}; the Deployment runs two replicas of
 * {@code flotilla server --kubernetes} with the probes and security context; and the host and
 * member RBAC grant exactly the rules derived from the calls the code makes, listed below with
 * where each is used.
 *
 * <p>Unknown fields: an API server prunes a field its structural schema does not know, silently,
 * and JSON Schema allows any field a schema does not name. To fail on such a field instead, the
 * schema is made strict before validating ({@link #strict}): every object schema that lists {@code
 * properties} and has neither {@code additionalProperties} nor {@code
 * x-kubernetes-preserve-unknown-fields: true} gets {@code additionalProperties: false}. Schemas
 * without {@code properties} (such as {@code metadata}, validated by the API server itself) and
 * those that keep unknown fields (status, label selectors) are left open. {@code
 * x-kubernetes-int-or-string: true} becomes {@code anyOf: [integer, string]}, which is what it
 * means to the API server.
 */
class DeployManifestsTest {
  private static final Path ROOT = Path.of("..");
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path CRDS = DEPLOY.resolve("crds");
  private static final Path BASE = DEPLOY.resolve("kustomize/base");
  private static final Path OVERLAYS = DEPLOY.resolve("kustomize/overlays");
  private static final Path EXAMPLES = ROOT.resolve("examples");
  private static final Path MEMBER_RBAC = DEPLOY.resolve("member/rbac.yaml");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * The Kubernetes extensions {@link #strict} emulates. A CRD using any other (a CEL rule in
   * x-kubernetes-validations, say) fails the test rather than going unchecked.
   */
  private static final Set<String> EMULATED =
      Set.of("x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields");

  /** OpenAPI 3.0's schema dialect (the CRDs' openAPIV3Schema), the extensions taken care of. */
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          Dialect.builder(Dialects.getOpenApi30())
              .keywords(EMULATED.stream().map(NonValidationKeyword::new).toList())
              .build());

  private static final Pattern FLOTILLA_DOCUMENT =
      Pattern.compile("(?m)^apiVersion:\\s*flotilla\\.io/");

  private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

  // ------------------------------------------------------------------------------------------
  // The RBAC derived from the code. Each row: who, what it grants (group, resources, optional
  // resource names, verbs), and where the code makes those calls.

  record Grant(
      String role,
      String group,
      List<String> resources,
      List<String> names,
      List<String> verbs,
      String why) {
    @Override
    public String toString() {
      return role
          + " may "
          + String.join(",", verbs)
          + " "
          + String.join(",", resources)
          + ": "
          + why;
    }

    Stream<String> triples() {
      List<String> scoped = names.isEmpty() ? List.of("*") : names;
      return resources.stream()
          .flatMap(
              r -> scoped.stream().flatMap(n -> verbs.stream().map(v -> triple(group, r, n, v))));
    }
  }

  private static final String HOST_CLUSTER_ROLE = "host ClusterRole flotilla-controller";
  private static final String HOST_ROLE = "host Role flotilla-system/flotilla-controller";
  private static final String MEMBER_CLUSTER_ROLE = "member ClusterRole flotilla-member";

  private static final List<String> FLOTILLA_KINDS =
      FlotillaKinds.ALL.stream().map(FlotillaKind::plural).toList();
  private static final List<String> STORE_VERBS =
      List.of("get", "list", "watch", "create", "update", "delete");
  private static final List<String> APPLY_VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete");

  static final List<Grant> GRANTS =
      List.of(
          new Grant(
              HOST_CLUSTER_ROLE,
              "flotilla.io",
              FLOTILLA_KINDS,
              List.of(),
              STORE_VERBS,
              "KubernetesObjectStore (API objects, generated policies, ResourceBindings,"
                  + " MemberCluster health) in every namespace; it never patches"),
          new Grant(
              HOST_CLUSTER_ROLE,
              "flotilla.io",
              FLOTILLA_KINDS.stream().map(k -> k + "/status").toList(),
              List.of(),
              List.of("update"),
              "KubernetesObjectStore.updateStatus, a PUT on the status subresource"),
          new Grant(
              HOST_CLUSTER_ROLE,
              "apps",
              List.of("statefulsets"),
              List.of(),
              STORE_VERBS,
              "the templates MiddlewareReconciler writes and PropagationEngine watches"),
          new Grant(
              HOST_CLUSTER_ROLE,
              "",
              List.of("configmaps", "services", "secrets"),
              List.of(),
              STORE_VERBS,
              "the templates (ConfigMaps, Services, the credentials Secret);"
                  + " PropagationEngine watches every Secret for kubeconfig changes"),
          new Grant(
              HOST_ROLE,
              "",
              List.of("pods"),
              List.of(),
              List.of("get", "list", "patch"),
              "LeaderPodLabel labels the leader's own pod for the Service, and \"false\" the"
                  + " pods of replicas that lost the lead cut off from the API server"),
          new Grant(
              HOST_ROLE,
              "coordination.k8s.io",
              List.of("leases"),
              List.of(),
              List.of("create"),
              "KubernetesLeaderElection creates the Lease when it is absent"),
          new Grant(
              HOST_ROLE,
              "coordination.k8s.io",
              List.of("leases"),
              List.of("flotilla-controller"),
              List.of("get", "update"),
              "KubernetesLeaderElection takes, renews and gives up the Lease flotilla-controller"),
          new Grant(
              HOST_ROLE,
              "",
              List.of("secrets"),
              List.of(),
              List.of("get"),
              "KubernetesMemberFactory reads the member kubeconfig Secrets"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "apps",
              List.of("statefulsets"),
              List.of(),
              APPLY_VERBS,
              "TemplateReconciler applies and deletes the copies, PropagationEngine watches"
                  + " them, MemberShareReadiness reads them"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "",
              List.of("configmaps", "secrets", "services"),
              List.of(),
              APPLY_VERBS,
              "the copies as for StatefulSets; GlobalEndpointsController's Service;"
                  + " DomainRegistrar lists and watches Services"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "",
              List.of("endpoints"),
              List.of(),
              List.of("get", "create", "update", "patch", "delete"),
              "GlobalEndpointsController applies and deletes the legacy Endpoints"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "discovery.k8s.io",
              List.of("endpointslices"),
              List.of(),
              List.of("get", "list", "create", "update", "patch", "delete"),
              "GlobalEndpointsController applies, lists and deletes its EndpointSlices"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "",
              List.of("namespaces"),
              List.of(),
              List.of("get", "list", "create", "patch"),
              "Prober lists one namespace (the health probe); TemplateReconciler and"
                  + " GlobalEndpointsController create a missing namespace"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "",
              List.of("pods", "nodes"),
              List.of(),
              List.of("list", "watch"),
              "KubernetesMember.resources (capacity), pods(), GlobalEndpointsController's pod"
                  + " watch, DomainRegistrar's node watch"),
          new Grant(
              MEMBER_CLUSTER_ROLE,
              "networking.k8s.io",
              List.of("ingresses"),
              List.of(),
              List.of("list", "watch"),
              "DomainRegistrar (--dns) publishes Ingresses"));

  // ------------------------------------------------------------------------------------------
  // Rendering

  /** The base and every overlay. */
  static List<Path> kustomizationDirs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    dirs.add(BASE);
    try (Stream<Path> overlays = Files.list(OVERLAYS)) {
      overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
    }
    return dirs;
  }

  /** The same, named as the repository does (deploy/kustomize/overlays/dev). */
  static Stream<Named<Path>> kustomizations() throws IOException {
    return kustomizationDirs().stream().map(d -> Named.of(name(d), d));
  }

  @Test
  void theOverlaysIncludeDevAndProduction() throws IOException {
    assertThat(kustomizationDirs().stream().map(DeployManifestsTest::name))
        .contains("deploy/kustomize/base")
        .contains("deploy/kustomize/overlays/dev", "deploy/kustomize/overlays/production");
  }

  @ParameterizedTest(name = "kubectl kustomize {0} renders the whole control plane")
  @MethodSource("kustomizations")
  void kubectlKustomizeRendersTheWholeControlPlane(Path dir) throws IOException {
    List<JsonNode> objects = render(dir);

    Set<String> found = new TreeSet<>();
    for (JsonNode o : objects) {
      assertThat(o.path("apiVersion").asString("")).as("apiVersion of %s", o).isNotEmpty();
      assertThat(o.path("metadata").path("name").asString("")).as("name of %s", o).isNotEmpty();
      found.add(id(o));
    }
    List<String> expected = new ArrayList<>();
    for (FlotillaKind k : FlotillaKinds.ALL) {
      expected.add("CustomResourceDefinition " + k.plural() + ".flotilla.io");
    }
    expected.addAll(
        List.of(
            "Namespace flotilla-system",
            "ServiceAccount flotilla-system/flotilla-controller",
            "ClusterRole flotilla-controller",
            "ClusterRoleBinding flotilla-controller",
            "Role flotilla-system/flotilla-controller",
            "RoleBinding flotilla-system/flotilla-controller",
            "Deployment flotilla-system/flotilla",
            "Service flotilla-system/flotilla"));
    assertThat(found).containsAll(expected);
  }

  @ParameterizedTest(name = "{0} renders the CRDs exactly as deploy/crds ships them")
  @MethodSource("kustomizations")
  void theRenderedCrdsAreTheShippedOnes(Path dir) throws IOException {
    Map<String, JsonNode> shipped = shippedCrds();
    Map<String, JsonNode> rendered = new TreeMap<>();
    for (JsonNode o : render(dir)) {
      if (o.path("kind").asString("").equals("CustomResourceDefinition")) {
        rendered.put(o.path("metadata").path("name").asString(), o);
      }
    }
    assertThat(rendered).isEqualTo(shipped);
  }

  /**
   * Kustomize loads no file outside a kustomization's directory, and deploy/crds may hold generated
   * files only: the base holds copies of deploy/crds and deploy/rbac.yaml. With {@code
   * -Ddeploy.sync=true} this rewrites them.
   */
  @Test
  void theBaseHoldsExactCopiesOfTheShippedCrdsAndRbac() throws IOException {
    Map<Path, Path> copies = new TreeMap<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      files.forEach(f -> copies.put(f, BASE.resolve("crds").resolve(f.getFileName())));
    }
    copies.put(DEPLOY.resolve("rbac.yaml"), BASE.resolve("rbac.yaml"));
    if (Boolean.getBoolean("deploy.sync")) {
      Files.createDirectories(BASE.resolve("crds"));
      for (Map.Entry<Path, Path> e : copies.entrySet()) {
        Files.copy(e.getKey(), e.getValue(), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Map.Entry<Path, Path> e : copies.entrySet()) {
      assertThat(e.getValue())
          .as(
              "%s is a copy of %s (refresh with -Ddeploy.sync=true)",
              name(e.getValue()), name(e.getKey()))
          .exists()
          .hasSameBinaryContentAs(e.getKey());
    }
    try (Stream<Path> files = Files.list(BASE.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .as("deploy/kustomize/base/crds holds nothing but the copies")
          .containsExactlyElementsOf(
              copies.keySet().stream()
                  .filter(p -> p.startsWith(CRDS))
                  .map(p -> p.getFileName().toString())
                  .sorted()
                  .toList());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Schemas

  /**
   * Every flotilla.io object of every YAML file under examples/ and deploy/, and every rendering.
   */
  static Stream<Arguments> flotillaObjects() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Path file : manifestFiles()) {
      List<JsonNode> docs = documents(Files.readString(file));
      for (int i = 0; i < docs.size(); i++) {
        JsonNode o = docs.get(i);
        if (isFlotilla(o)) {
          out.add(Arguments.of(name(file) + " document " + (i + 1) + " (" + id(o) + ")", o));
        }
      }
    }
    for (Path dir : kustomizationDirs()) {
      for (JsonNode o : render(dir)) {
        if (isFlotilla(o)) {
          out.add(Arguments.of("kubectl kustomize " + name(dir) + " (" + id(o) + ")", o));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} matches its CRD's schema")
  @MethodSource("flotillaObjects")
  void everyFlotillaObjectMatchesItsCrdSchema(String where, JsonNode object) throws IOException {
    assertThat(problems(object)).as(where).isEmpty();
  }

  /** The files are read whole: every flotilla.io document in them is checked above. */
  @Test
  void everyFlotillaDocumentOfTheExamplesAndDeployIsChecked() throws IOException {
    int written = 0;
    int parsed = 0;
    for (Path file : manifestFiles()) {
      String text = Files.readString(file);
      written += (int) FLOTILLA_DOCUMENT.matcher(text).results().count();
      parsed += (int) documents(text).stream().filter(DeployManifestsTest::isFlotilla).count();
    }
    assertThat(parsed).as("flotilla.io documents found by the parser").isEqualTo(written);
    assertThat(parsed).as("flotilla.io documents under examples/ and deploy/").isGreaterThan(20);
  }

  @Test
  void theValidatorRejectsAFieldTheCrdDoesNotKnow() throws IOException {
    JsonNode zk = middleware();
    ((ObjectNode) zk.at("/spec/replicaRequirements/0")).put("maxSkw", 1);

    assertThat(problems(zk))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("/spec/replicaRequirements/0: ")
                    .contains("'maxSkw' is not defined in the schema"));
  }

  @Test
  void theValidatorRejectsAFieldTheCrdDoesNotKnowAtTheTop() throws IOException {
    JsonNode zk = middleware();
    ((ObjectNode) zk).put("sepc", "typo");

    assertThat(problems(zk))
        .singleElement()
        .satisfies(p -> assertThat(p).contains("'sepc' is not defined in the schema"));
  }

  @Test
  void theValidatorRejectsAWrongType() throws IOException {
    JsonNode zk = middleware();
    ((ObjectNode) zk.at("/spec/replicaRequirements/0")).put("replicas", "five");

    assertThat(problems(zk))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p).contains("/spec/replicaRequirements/0/replicas").contains("integer"));
  }

  @Test
  void theValidatorRejectsAValueOutsideAnIntOrStringField() throws IOException {
    JsonNode zk = middleware();
    ((ObjectNode) zk.get("spec")).putObject("version").put("major", 3);

    assertThat(problems(zk)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("/spec/version"));
  }

  @Test
  void theValidatorKeepsWhatTheCrdKeeps() throws IOException {
    JsonNode zk = middleware();
    ((ObjectNode) zk).putObject("status").putObject("anything").put("at", "all");
    ((ObjectNode) zk.get("spec")).put("version", 3);

    assertThat(problems(zk)).isEmpty();
  }

  private static JsonNode middleware() throws IOException {
    return documents(Files.readString(EXAMPLES.resolve("zookeeper.yaml"))).get(0);
  }

  // ------------------------------------------------------------------------------------------
  // The Deployment and the Service

  @ParameterizedTest(
      name = "{0}: two replicas of flotilla server --kubernetes, probed and locked down")
  @MethodSource("kustomizations")
  void theDeploymentRunsTwoLockedDownReplicasOfTheServer(Path dir) throws IOException {
    List<JsonNode> objects = render(dir);
    JsonNode deployment = one(objects, "Deployment", "flotilla");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = only(pod.path("containers"));

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(container.path("image").asString()).startsWith("ghcr.io/flotilla/flotilla:");
    List<String> args = strings(container.path("args"));
    assertThat(args).startsWith("server", "--kubernetes").contains("--address=0.0.0.0");
    assertThat(container.path("command").isMissingNode())
        .as("the image's entrypoint runs")
        .isTrue();

    int port = Integer.parseInt(option(args, "--port"));
    JsonNode http = only(container.path("ports"));
    assertThat(http.path("containerPort").asInt()).isEqualTo(port);
    String portName = http.path("name").asString();
    assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/healthz");
    assertThat(container.at("/livenessProbe/httpGet/port").asString()).isEqualTo(portName);
    assertThat(container.at("/readinessProbe/httpGet/path").asString())
        .as("both replicas are Ready while they serve; the Service picks the leader by label")
        .isEqualTo("/healthz");
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
        .as("a rollout replaces one replica at a time")
        .isZero();
    assertThat(container.at("/readinessProbe/httpGet/port").asString()).isEqualTo(portName);

    assertThat(container.at("/resources/requests/cpu").asString("")).isNotEmpty();
    assertThat(container.at("/resources/requests/memory").asString("")).isNotEmpty();
    assertThat(container.at("/resources/limits/memory").asString("")).isNotEmpty();

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    JsonNode security = container.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(strings(security.at("/capabilities/drop"))).containsExactly("ALL");

    Map<String, String> env = new TreeMap<>();
    for (JsonNode e : container.path("env")) {
      env.put(e.path("name").asString(), e.at("/valueFrom/fieldRef/fieldPath").asString(""));
    }
    assertThat(env)
        .containsEntry("POD_NAME", "metadata.name")
        .containsEntry("POD_NAMESPACE", "metadata.namespace");

    // the token: DATA_DIR/token from the Secret flotilla-api-token, key token
    String dataDir = option(args, "--data-dir");
    JsonNode mount = named(container.path("volumeMounts"), "mountPath", dataDir);
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode volume = named(pod.path("volumes"), "name", mount.path("name").asString());
    assertThat(volume.at("/secret/secretName").asString()).isEqualTo("flotilla-api-token");
    assertThat(only(volume.at("/secret/items")).path("key").asString()).isEqualTo("token");
    assertThat(only(volume.at("/secret/items")).path("path").asString()).isEqualTo("token");
    // a read-only root: the tools' temporary files go to an emptyDir
    JsonNode tmp = named(container.path("volumeMounts"), "mountPath", "/tmp");
    assertThat(named(pod.path("volumes"), "name", tmp.path("name").asString()).has("emptyDir"))
        .isTrue();

    // the service account is the one the RBAC binds
    String account = pod.path("serviceAccountName").asString();
    assertThat(account).isEqualTo("flotilla-controller");
    for (JsonNode binding :
        List.of(
            one(objects, "ClusterRoleBinding", "flotilla-controller"),
            one(objects, "RoleBinding", "flotilla-controller"))) {
      JsonNode subject = only(binding.path("subjects"));
      assertThat(subject.path("kind").asString()).isEqualTo("ServiceAccount");
      assertThat(subject.path("name").asString()).isEqualTo(account);
      assertThat(subject.path("namespace").asString())
          .isEqualTo(deployment.at("/metadata/namespace").asString());
    }

    // the Service selects these pods, the leader's alone (the label LeaderPodLabel writes), on
    // the API's port
    JsonNode service = one(objects, "Service", "flotilla");
    JsonNode labels = deployment.at("/spec/template/metadata/labels");
    assertThat(service.at("/spec/selector/" + LeaderPodLabel.LABEL.replace("/", "~1")).asString())
        .isEqualTo("true");
    for (Map.Entry<String, JsonNode> e : service.at("/spec/selector").properties()) {
      if (e.getKey().equals(LeaderPodLabel.LABEL)) {
        continue;
      }
      assertThat(labels.path(e.getKey()).asString())
          .as(e.getKey())
          .isEqualTo(e.getValue().asString());
    }
    assertThat(only(service.at("/spec/ports")).path("targetPort").asString()).isEqualTo(portName);
  }

  // ------------------------------------------------------------------------------------------
  // RBAC

  static Stream<Grant> grants() {
    return GRANTS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grants")
  void everyRuleTheCodeNeedsIsGranted(Grant grant) throws IOException {
    Set<String> granted = grantedBy(grant.role());
    assertThat(granted).containsAll(grant.triples().toList());
  }

  @ParameterizedTest(name = "the {0} grants nothing beyond what the code uses")
  @MethodSource("roles")
  void nothingBeyondWhatTheCodeUsesIsGranted(String role) throws IOException {
    Set<String> expected = new TreeSet<>();
    GRANTS.stream()
        .filter(g -> g.role().equals(role))
        .flatMap(Grant::triples)
        .forEach(expected::add);
    assertThat(grantedBy(role)).containsExactlyElementsOf(expected);
  }

  static Stream<String> roles() {
    return Stream.of(HOST_CLUSTER_ROLE, HOST_ROLE, MEMBER_CLUSTER_ROLE);
  }

  @ParameterizedTest(name = "{0} holds the host RBAC of deploy/rbac.yaml")
  @MethodSource("kustomizations")
  void everyRenderingHoldsTheHostRbac(Path dir) throws IOException {
    List<JsonNode> shipped = documents(Files.readString(DEPLOY.resolve("rbac.yaml")));
    List<JsonNode> rendered = render(dir);
    for (JsonNode o : shipped) {
      String kind = o.path("kind").asString();
      assertThat(one(rendered, kind, o.at("/metadata/name").asString())).as(id(o)).isEqualTo(o);
    }
    assertThat(shipped).hasSize(6);
  }

  @Test
  void theMemberServiceAccountIsBoundAndHasAToken() throws IOException {
    List<JsonNode> member = documents(Files.readString(MEMBER_RBAC));
    JsonNode account = one(member, "ServiceAccount", "flotilla-member");
    String namespace = account.at("/metadata/namespace").asString();
    JsonNode binding = one(member, "ClusterRoleBinding", "flotilla-member");
    assertThat(binding.at("/roleRef/kind").asString()).isEqualTo("ClusterRole");
    assertThat(binding.at("/roleRef/name").asString()).isEqualTo("flotilla-member");
    JsonNode subject = only(binding.path("subjects"));
    assertThat(subject.path("name").asString()).isEqualTo("flotilla-member");
    assertThat(subject.path("namespace").asString()).isEqualTo(namespace);
    JsonNode token = one(member, "Secret", "flotilla-member-token");
    assertThat(token.path("type").asString()).isEqualTo("kubernetes.io/service-account-token");
    assertThat(token.at("/metadata/namespace").asString()).isEqualTo(namespace);
    assertThat(token.at("/metadata/annotations/kubernetes.io~1service-account.name").asString())
        .isEqualTo("flotilla-member");
    assertThat(one(member, "Namespace", namespace)).isNotNull();
  }

  /** The (group, resource, name, verb) triples a role's rules grant. */
  private static Set<String> grantedBy(String role) throws IOException {
    JsonNode rules =
        switch (role) {
          case HOST_CLUSTER_ROLE ->
              one(render(BASE), "ClusterRole", "flotilla-controller").path("rules");
          case HOST_ROLE -> {
            JsonNode r = one(render(BASE), "Role", "flotilla-controller");
            assertThat(r.at("/metadata/namespace").asString()).isEqualTo("flotilla-system");
            yield r.path("rules");
          }
          case MEMBER_CLUSTER_ROLE ->
              one(documents(Files.readString(MEMBER_RBAC)), "ClusterRole", "flotilla-member")
                  .path("rules");
          default -> throw new IllegalArgumentException(role);
        };
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : rules) {
      assertThat(rule.has("nonResourceURLs")).as("no non-resource URLs: %s", rule).isFalse();
      List<String> names = strings(rule.path("resourceNames"));
      for (String group : strings(rule.path("apiGroups"))) {
        for (String resource : strings(rule.path("resources"))) {
          for (String name : names.isEmpty() ? List.of("*") : names) {
            for (String verb : strings(rule.path("verbs"))) {
              assertThat(List.of(group, resource, verb)).as("no wildcard").doesNotContain("*");
              out.add(triple(group, resource, name, verb));
            }
          }
        }
      }
    }
    return out;
  }

  private static String triple(String group, String resource, String name, String verb) {
    return (group.isEmpty() ? "core" : group) + " " + resource + "/" + name + " " + verb;
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  /** The problems of one flotilla.io object against its CRD's strict schema, one line each. */
  private static List<String> problems(JsonNode object) throws IOException {
    String kind = object.path("kind").asString("");
    FlotillaKind k =
        FlotillaKinds.byKind(kind)
            .orElseThrow(() -> new AssertionError("no flotilla.io kind " + kind));
    assertThat(object.path("apiVersion").asString()).isEqualTo(FlotillaKind.API_VERSION);
    JsonNode crd = shippedCrds().get(k.plural() + ".flotilla.io");
    JsonNode version = only(crd.at("/spec/versions"));
    Schema schema = SCHEMAS.getSchema(strict(version.at("/schema/openAPIV3Schema")));
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(object)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  /** {@code schema} as a JSON Schema that refuses what the CRD does not know (class comment). */
  static JsonNode strict(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    tighten(copy);
    return copy;
  }

  private static void tighten(JsonNode node) {
    if (!(node instanceof ObjectNode schema)) {
      return;
    }
    for (String keyword : schema.propertyNames()) {
      if (keyword.startsWith("x-kubernetes-") && !EMULATED.contains(keyword)) {
        fail("the CRDs use " + keyword + ", which this test does not check: teach strict() it");
      }
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)
        && !schema.has("type")
        && !schema.has("anyOf")) {
      ArrayNode anyOf = schema.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    if (schema.has("properties")
        && !schema.has("additionalProperties")
        && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      schema.put("additionalProperties", false);
    }
    for (JsonNode property : schema.path("properties")) {
      tighten(property);
    }
    tighten(schema.get("items"));
    tighten(schema.get("additionalProperties"));
    tighten(schema.get("not"));
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      for (JsonNode s : schema.path(combinator)) {
        tighten(s);
      }
    }
  }

  private static Map<String, JsonNode> shippedCrds() throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path f : files.sorted().toList()) {
        JsonNode crd = only(NODES.arrayNode().addAll(documents(Files.readString(f))));
        out.put(crd.at("/metadata/name").asString(), crd);
      }
    }
    assertThat(out).hasSize(FlotillaKinds.ALL.size());
    return out;
  }

  /** Every YAML file under examples/ and deploy/ (deploy/member/member-clusters.yaml, say). */
  private static List<Path> manifestFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : List.of(EXAMPLES, DEPLOY)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .filter(Files::isRegularFile)
            .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
            .sorted()
            .forEach(out::add);
      }
    }
    assertThat(out).as("YAML files under examples/ and deploy/").isNotEmpty();
    return out;
  }

  /** The objects {@code kubectl kustomize DIR} prints, rendered once per run. */
  private static List<JsonNode> render(Path dir) throws IOException {
    Path key = dir.toAbsolutePath().normalize();
    List<JsonNode> cached = RENDERED.get(key);
    if (cached != null) {
      return cached;
    }
    List<JsonNode> objects = documents(kustomize(key));
    assertThat(objects).as("objects rendered from %s", name(dir)).isNotEmpty();
    RENDERED.put(key, objects);
    return objects;
  }

  private static String kustomize(Path dir) throws IOException {
    String kubectl = kubectl();
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process p =
          new ProcessBuilder(kubectl, "kustomize", dir.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("kubectl kustomize " + name(dir) + " did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        fail(
            "kubectl kustomize "
                + name(dir)
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + Files.readString(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running kubectl kustomize", e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** kubectl (it embeds Kustomize): $KUBECTL, else on the PATH, else /usr/bin/kubectl. */
  private static String kubectl() {
    List<Path> candidates = new ArrayList<>();
    String given = System.getenv("KUBECTL");
    if (given != null && !given.isBlank()) {
      candidates.add(Path.of(given));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(Pattern.quote(File.pathSeparator))) {
        if (!d.isEmpty()) {
          candidates.add(Path.of(d, "kubectl"));
        }
      }
    }
    candidates.add(Path.of("/usr/bin/kubectl"));
    Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      fail(
          "kubectl is needed to render deploy/kustomize (kubectl kustomize, offline) and was not"
              + " found ($KUBECTL, the PATH, /usr/bin/kubectl): install kubectl 1.21 or"
              + " newer (https://kubernetes.io/docs/tasks/tools/), or point $KUBECTL at it");
    }
    return found.get().toString();
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode d : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
      if (d != null && d.isObject()) {
        out.add(d);
      }
    }
    return out;
  }

  private static boolean isFlotilla(JsonNode o) {
    return o.path("apiVersion").asString("").startsWith("flotilla.io/");
  }

  private static String id(JsonNode o) {
    String ns = o.at("/metadata/namespace").asString("");
    String name = o.at("/metadata/name").asString("");
    return o.path("kind").asString("") + " " + (ns.isEmpty() ? name : ns + "/" + name);
  }

  private static JsonNode one(List<JsonNode> objects, String kind, String name) {
    List<JsonNode> found =
        objects.stream()
            .filter(o -> o.path("kind").asString("").equals(kind))
            .filter(o -> o.at("/metadata/name").asString("").equals(name))
            .toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  private static JsonNode only(JsonNode array) {
    assertThat(array.isArray()).as("an array: %s", array).isTrue();
    assertThat(array.size()).as("one element: %s", array).isEqualTo(1);
    return array.get(0);
  }

  private static JsonNode named(JsonNode array, String field, String value) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode e : array) {
      if (e.path(field).asString("").equals(value)) {
        found.add(e);
      }
    }
    assertThat(found).as("%s=%s in %s", field, value, array).hasSize(1);
    return found.get(0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : array) {
      out.add(e.asString());
    }
    return out;
  }

  /** The value of {@code --name=value} or {@code --name value} in {@code args}. */
  private static String option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith(name + "=")) {
        return args.get(i).substring(name.length() + 1);
      }
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return fail("no " + name + " in " + args);
  }

  private static String name(Path p) {
    return ROOT.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
  }
}
