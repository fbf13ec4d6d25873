package io.flotilla.store.kubernetes;

import static io.flotilla.store.kubernetes.Schema.anyObject;
import static io.flotilla.store.kubernetes.Schema.anyValue;
import static io.flotilla.store.kubernetes.Schema.bool;
import static io.flotilla.store.kubernetes.Schema.intOrString;
import static io.flotilla.store.kubernetes.Schema.integer;
import static io.flotilla.store.kubernetes.Schema.listOf;
import static io.flotilla.store.kubernetes.Schema.mapOf;
import static io.flotilla.store.kubernetes.Schema.object;
import static io.flotilla.store.kubernetes.Schema.oneOf;
import static io.flotilla.store.kubernetes.Schema.string;

import io.flotilla.api.Failback;
import io.flotilla.api.GlobalEndpoints;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.TolerationOperator;
import io.flotilla.api.policy.ImageComponent;
import io.flotilla.api.policy.OverriderOperator;
import io.flotilla.store.kubernetes.FlotillaKind.Column;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The flotilla.io/v1alpha1 kinds and their spec schemas, written from what the readers in {@code
 * io.flotilla.api.io} and {@code io.flotilla.api.policy} accept (the records are the decoded form,
 * not the wire form: the readers take aliases, shorthands and scalars as text). Where a reader
 * takes more than one shape, the schema takes all of them and leaves the check to the reader, which
 * names the field and the reason: label selectors (the {@code {cluster: compute}} shorthand or
 * {@code matchLabels}/{@code matchExpressions}), settings and label values (any scalar, as text),
 * plaintext overrider values (any JSON). Fields the readers refuse by name with a hint (Karmada's
 * {@code exclude}, {@code fieldSelector}, the deprecated {@code targetCluster} and {@code
 * overriders} at spec level) are in the schema, so that the API server keeps them for the reader to
 * refuse rather than pruning them silently. Enumerations come from the model's enums.
 */
public final class FlotillaKinds {
  private FlotillaKinds() {}

  public static final FlotillaKind MIDDLEWARE =
      new FlotillaKind(
          "Middleware",
          "middlewares",
          "middleware",
          List.of("mw"),
          true,
          middlewareSpec(),
          List.of(
              new Column("Type", "string", ".spec.type", "The middleware type"),
              new Column("Version", "string", ".spec.version", "The middleware version"),
              Column.condition("Scheduled", "Whether every role was placed"),
              Column.condition("Available", "Whether every cluster's share is ready"),
              Column.condition(
                  "SurvivesClusterLoss", "Whether every voter set survives one cluster's loss")));

  public static final FlotillaKind MEMBER_CLUSTER =
      new FlotillaKind(
          "MemberCluster",
          "memberclusters",
          "membercluster",
          List.of("mc"),
          false,
          memberClusterSpec(),
          List.of(
              Column.condition("Ready", "Whether the member answers its health checks"),
              new Column(
                  "Zone",
                  "string",
                  ".metadata.labels.topology\\.flotilla\\.io/zone",
                  "The member's zone label")));

  public static final FlotillaKind PROPAGATION_POLICY =
      new FlotillaKind(
          "PropagationPolicy",
          "propagationpolicies",
          "propagationpolicy",
          List.of("pp"),
          true,
          propagationPolicySpec(),
          List.of(
              new Column("Priority", "integer", ".spec.priority", "Higher wins"),
              Column.condition("Valid", "Whether the policy reads without problems")));

  public static final FlotillaKind OVERRIDE_POLICY =
      new FlotillaKind(
          "OverridePolicy",
          "overridepolicies",
          "overridepolicy",
          List.of("op"),
          true,
          overridePolicySpec(),
          List.of(
              new Column("Priority", "integer", ".spec.priority", "Applied in rising order"),
              Column.condition("Valid", "Whether the policy reads without problems")));

  public static final FlotillaKind RESOURCE_BINDING =
      new FlotillaKind(
          "ResourceBinding",
          "resourcebindings",
          "resourcebinding",
          List.of("rb"),
          true,
          resourceBindingSpec(),
          List.of(
              new Column("Kind", "string", ".spec.resource.kind", "The template's kind"),
              new Column("Resource", "string", ".spec.resource.name", "The template's name"),
              Column.condition("Applied", "Whether every target cluster holds the copy"),
              Column.condition("Ready", "Whether every target cluster's copy is ready")));

  /** Every kind, in the order the generator writes them. */
  public static final List<FlotillaKind> ALL =
      List.of(MIDDLEWARE, MEMBER_CLUSTER, PROPAGATION_POLICY, OVERRIDE_POLICY, RESOURCE_BINDING);

  /** The flotilla.io kind of this name, if it is one. */
  public static Optional<FlotillaKind> byKind(String kind) {
    return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }

  // ------------------------------------------------------------------ schemas

  private static Map<String, Schema> fields(Object... nameSchema) {
    Map<String, Schema> m = new LinkedHashMap<>();
    for (int i = 0; i < nameSchema.length; i += 2) {
      m.put((String) nameSchema[i], (Schema) nameSchema[i + 1]);
    }
    return m;
  }

  private static <E extends Enum<E>> Schema enumOf(Class<E> type, Function<E, String> text) {
    return oneOf(Arrays.stream(type.getEnumConstants()).map(text).toList());
  }

  private static Schema labelSelector() {
    return anyObject()
        .describedAs(
            "A label selector: {matchLabels, matchExpressions}, or the shorthand {label: value}");
  }

  private static Schema clusterNames() {
    return listOf(string()).describedAs("Member cluster names; leave out to allow every cluster");
  }

  private static Schema quantities() {
    return mapOf(intOrString()).describedAs("Quantities by resource name (cpu, memory, ...)");
  }

  private static Schema middlewareSpec() {
    Schema role =
        object(
                fields(
                    "role", string().describedAs("The role's name, unique in the resource"),
                    "replicas", integer().atLeast(0),
                    "maxSkew", integer().atLeast(1),
                    "shard", integer().atLeast(1).describedAs("Replicas per shard"),
                    "shardOf", string().describedAs("The role holding the shards' primaries"),
                    "resourceRequest",
                        object(fields("requests", quantities(), "limits", quantities())),
                    "replicaSchedulingType", enumOf(ReplicaSchedulingType.class, Enum::name),
                    "weights", mapOf(integer()).describedAs("Static weights by cluster name"),
                    "minClusters", integer().atLeast(1),
                    "maxClusters", integer().atLeast(1),
                    "voter", bool()))
            .requiring("role", "replicas");
    Schema toleration =
        object(
            fields(
                "key", string(),
                "operator", enumOf(TolerationOperator.class, Enum::name),
                "value", string(),
                "effect", string().describedAs("NoSchedule, NoExecute, or empty for both")));
    return object(
            fields(
                "type", enumOf(MiddlewareType.class, MiddlewareType::id),
                "version", intOrString(),
                "replicaRequirements", listOf(role),
                "clusterAffinity",
                    object(
                        fields(
                            "labelSelector", labelSelector(),
                            "clusterNames", clusterNames(),
                            "clustersNames", clusterNames().describedAs("Alias of clusterNames"))),
                "clusterNames", clusterNames(),
                "clustersNames", clusterNames().describedAs("Alias of clusterNames (the talk's)"),
                "tolerations", listOf(toleration),
                "pinnedPlacement",
                    mapOf(mapOf(integer()))
                        .describedAs("Placement chosen by hand: role -> cluster -> count"),
                "settings",
                    mapOf(anyValue()).describedAs("Type-specific settings; scalars, read as text"),
                "failback",
                    object(
                            fields(
                                "policy",
                                enumOf(Failback.Policy.class, Failback.Policy::id),
                                "readyForSeconds",
                                integer().atLeast(0)))
                        .describedAs(
                            "Whether replicas return to a lost cluster once it is back: Never"
                                + " (default) or WhenReady after readyForSeconds"),
                "globalEndpoints",
                    object(
                            fields(
                                "clusters",
                                listOf(string()).describedAs("Default: every candidate cluster"),
                                "form",
                                enumOf(GlobalEndpoints.Form.class, GlobalEndpoints.Form::id)))
                        .describedAs(
                            "Member clusters that get the headless Service and the endpoints of"
                                + " every instance of every cluster: EndpointSlice (default) or"
                                + " the legacy Endpoints form")))
        .requiring("type", "replicaRequirements");
  }

  private static Schema memberClusterSpec() {
    Schema taint =
        object(
                fields(
                    "key", string(),
                    "value", string(),
                    "effect", enumOf(TaintEffect.class, Enum::name),
                    "timeAdded", string()))
            .requiring("key", "effect");
    Schema access =
        object(
            fields(
                "kubeconfigSecret",
                object(
                        fields(
                            "namespace", string().describedAs("Default flotilla-system"),
                            "name", string(),
                            "key", string().describedAs("Default kubeconfig")))
                    .requiring("name"),
                "kubeconfigFile",
                object(fields("path", string())).requiring("path"),
                "local",
                object(fields()).describedAs("A local cluster of the sandbox")));
    return object(fields("access", access, "taints", listOf(taint)));
  }

  private static Schema resourceSelectors() {
    return listOf(
        object(
                fields(
                    "apiVersion", string(),
                    "kind", string(),
                    "namespace", string(),
                    "name", string(),
                    "labelSelector", labelSelector()))
            .requiring("apiVersion", "kind"));
  }

  private static Schema clusterAffinity() {
    return object(
        fields(
            "clusterNames", clusterNames(),
            "labelSelector", labelSelector(),
            "exclude", listOf(string()).describedAs("Karmada's; refused by Flotilla"),
            "fieldSelector", anyObject().describedAs("Karmada's; refused by Flotilla")));
  }

  private static Schema propagationPolicySpec() {
    return object(
            fields(
                "resourceSelectors", resourceSelectors(),
                "priority", integer(),
                "preserveResourcesOnDeletion", bool(),
                "placement", object(fields("clusterAffinity", clusterAffinity()))))
        .requiring("resourceSelectors");
  }

  private static Schema overridePolicySpec() {
    Schema operator = enumOf(OverriderOperator.class, OverriderOperator::value);
    Schema commandArgs =
        listOf(
            object(
                    fields(
                        "containerName", string(),
                        "operator", operator,
                        "value", listOf(string())))
                .requiring("containerName", "operator"));
    Schema labelsAnnotations =
        listOf(object(fields("operator", operator, "value", mapOf(anyValue()))));
    Schema overriders =
        object(
            fields(
                "imageOverrider",
                listOf(
                    object(
                            fields(
                                "predicate", object(fields("path", string())),
                                "component", enumOf(ImageComponent.class, Enum::name),
                                "operator", operator,
                                "value", string()))
                        .requiring("component", "operator")),
                "commandOverrider",
                commandArgs,
                "argsOverrider",
                commandArgs,
                "labelsOverrider",
                labelsAnnotations,
                "annotationsOverrider",
                labelsAnnotations,
                "plaintext",
                listOf(
                    object(
                            fields(
                                "path", string().describedAs("A JSON pointer"),
                                "operator", operator,
                                "value", anyValue()))
                        .requiring("path", "operator"))));
    Schema rule =
        object(fields("targetCluster", clusterAffinity(), "overriders", overriders))
            .requiring("overriders");
    return object(
            fields(
                "resourceSelectors", resourceSelectors(),
                "priority", integer(),
                "overrideRules", listOf(rule),
                "targetCluster",
                    anyObject().describedAs("Deprecated by Karmada; refused, use overrideRules"),
                "overriders",
                    anyObject().describedAs("Deprecated by Karmada; refused, use overrideRules")))
        .requiring("overrideRules");
  }

  private static Schema resourceBindingSpec() {
    return object(
            fields(
                "resource",
                object(
                        fields(
                            "apiVersion", string(),
                            "kind", string(),
                            "namespace", string(),
                            "name", string()))
                    .requiring("apiVersion", "kind", "name"),
                "policy",
                string().describedAs("The PropagationPolicy, as namespace/name"),
                "clusters",
                listOf(string()).describedAs("The clusters holding a copy"),
                "pendingRemoval",
                listOf(string())
                    .describedAs("Untargeted clusters whose copies could not be deleted yet")))
        .requiring("resource");
  }
}
