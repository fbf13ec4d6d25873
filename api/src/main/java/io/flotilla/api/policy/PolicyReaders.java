package io.flotilla.api.policy;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Problems;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.io.Fields;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Readers for the parts both policy kinds share: header, metadata, selectors, status. */
final class PolicyReaders {
  /** Karmada's group and version, recognised to give a precise hint. */
  static final String KARMADA_API_VERSION = "policy.karmada.io/v1alpha1";

  /** Metadata fields the server sets; accepted in input (as from {@code get -o yaml}), unused. */
  private static final String[] SERVER_SET_METADATA = {
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
    "finalizers",
    "ownerReferences",
    "generateName"
  };

  private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");

  private PolicyReaders() {}

  /** Checks apiVersion and kind; a Karmada policy gets told to change only its apiVersion. */
  static void header(Fields root, String kind) {
    root.requiredString("apiVersion")
        .filter(v -> !v.equals(ApiVersion.API_VERSION))
        .ifPresent(
            v ->
                root.problems()
                    .add(
                        "apiVersion",
                        "must be "
                            + ApiVersion.API_VERSION
                            + ", got \""
                            + v
                            + "\""
                            + (v.equals(KARMADA_API_VERSION)
                                ? " (a Karmada policy: change only its apiVersion)"
                                : "")));
    root.requiredString("kind")
        .filter(k -> !k.equals(kind))
        .ifPresent(k -> root.problems().add("kind", "must be " + kind + ", got \"" + k + "\""));
  }

  /** Reads the metadata of a namespaced policy; the namespace defaults to {@code default}. */
  static Optional<ObjectMeta> metadata(Fields root) {
    Optional<Fields> meta = root.object("metadata");
    if (meta.isEmpty()) {
      if (!root.has("metadata")) {
        root.problems().add("metadata", "required");
      }
      return Optional.empty();
    }
    Fields m = meta.get();
    Optional<String> name = m.requiredString("name");
    name.flatMap(Names::checkDnsSubdomain).ifPresent(r -> m.problems().add(m.path("name"), r));
    Optional<String> namespace = m.string("namespace");
    namespace
        .filter(ns -> !ns.isEmpty())
        .flatMap(Names::checkDnsLabel)
        .ifPresent(r -> m.problems().add(m.path("namespace"), r));
    SortedMap<String, String> labels = m.stringMap("labels");
    checkLabels(labels, m.path("labels"), m.problems());
    SortedMap<String, String> annotations = m.stringMap("annotations");
    annotations.forEach(
        (k, v) ->
            Names.checkQualifiedName(k)
                .ifPresent(r -> m.problems().add(Fields.child(m.path("annotations"), k), r)));
    m.ignore(SERVER_SET_METADATA);
    m.rejectUnknown();
    String ns = namespace.filter(s -> !s.isEmpty()).orElse("default");
    return name.map(n -> new ObjectMeta(n, Optional.of(ns), labels, annotations));
  }

  /** The namespace a policy's metadata names, as {@link #metadata} reads it. */
  static String namespaceOf(Optional<ObjectMeta> meta) {
    return meta.flatMap(ObjectMeta::namespace).orElse("default");
  }

  /**
   * Reads an enum constant by its written form, listing the allowed forms when it is none of them.
   */
  static <E> Optional<E> oneOf(
      Fields f, String key, Collection<E> allowed, Function<E, String> written, boolean required) {
    Optional<String> s = required ? f.requiredString(key) : f.string(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    for (E e : allowed) {
      if (written.apply(e).equals(s.get())) {
        return Optional.of(e);
      }
    }
    f.problems()
        .add(
            f.path(key),
            "must be one of "
                + allowed.stream().map(written).collect(Collectors.joining(", "))
                + ", got \""
                + s.get()
                + "\"");
    return Optional.empty();
  }

  /** A label selector in Kubernetes' form: {@code matchLabels} and {@code matchExpressions}. */
  static Optional<LabelSelector> labelSelector(Fields parent, String key) {
    Optional<Fields> sel = parent.object(key);
    if (sel.isEmpty()) {
      return Optional.empty();
    }
    Fields s = sel.get();
    SortedMap<String, String> matchLabels = s.stringMap("matchLabels");
    checkLabels(matchLabels, s.path("matchLabels"), s.problems());
    List<LabelSelectorRequirement> expressions = new ArrayList<>();
    for (Fields e : s.objectList("matchExpressions")) {
      requirement(e).ifPresent(expressions::add);
    }
    s.rejectUnknown();
    return Optional.of(new LabelSelector(matchLabels, expressions));
  }

  private static void checkLabels(Map<String, String> labels, String path, Problems problems) {
    labels.forEach(
        (k, v) -> {
          String p = Fields.child(path, k);
          Names.checkQualifiedName(k).ifPresent(r -> problems.add(p, r));
          Names.checkLabelValue(v).ifPresent(r -> problems.add(p, r));
        });
  }

  private static Optional<LabelSelectorRequirement> requirement(Fields e) {
    Optional<String> key = e.requiredString("key");
    key.flatMap(Names::checkQualifiedName).ifPresent(r -> e.problems().add(e.path("key"), r));
    Optional<SelectorOperator> op =
        oneOf(e, "operator", Arrays.asList(SelectorOperator.values()), Enum::name, true);
    boolean hasValues = e.has("values");
    List<String> values = e.stringList("values");
    e.rejectUnknown();
    if (op.isPresent()) {
      boolean needsValues = op.get() == SelectorOperator.In || op.get() == SelectorOperator.NotIn;
      if (needsValues && values.isEmpty()) {
        e.problems().add(e.path("values"), "must not be empty when operator is " + op.get());
        return Optional.empty();
      }
      if (!needsValues && hasValues && !values.isEmpty()) {
        e.problems().add(e.path("values"), "must be empty when operator is " + op.get());
        return Optional.empty();
      }
    }
    if (key.isEmpty() || op.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LabelSelectorRequirement(key.get(), op.get(), values));
  }

  /**
   * Reads a cluster affinity ({@code clusterNames}, {@code labelSelector}). Karmada's {@code
   * exclude} and {@code fieldSelector} are refused by name rather than as unknown fields.
   */
  static ClusterAffinity clusterAffinity(Fields a) {
    Optional<LabelSelector> selector = labelSelector(a, "labelSelector");
    List<String> names = clusterNames(a);
    for (String karmadaOnly : List.of("exclude", "fieldSelector")) {
      if (a.has(karmadaOnly)) {
        a.problems()
            .add(
                a.path(karmadaOnly),
                "is a Karmada field Flotilla does not support; select clusters by clusterNames"
                    + " or labelSelector");
      }
    }
    a.rejectUnknown();
    return new ClusterAffinity(selector, names);
  }

  private static List<String> clusterNames(Fields f) {
    List<Fields.Element> elements = f.list("clusterNames");
    if (f.raw("clusterNames").filter(JsonNode::isArray).isPresent() && elements.isEmpty()) {
      f.problems()
          .add(f.path("clusterNames"), "must not be empty; leave it out to allow every cluster");
    }
    List<Fields.Element> names = new ArrayList<>();
    for (Fields.Element e : elements) {
      if (!e.node().isString()) {
        f.problems().add(e.path(), "must be a string, got " + Fields.describe(e.node()));
        continue;
      }
      Names.checkDnsSubdomain(e.node().stringValue())
          .ifPresent(reason -> f.problems().add(e.path(), reason));
      names.add(e);
    }
    rejectDuplicates(
        names, e -> e.node().stringValue(), Fields.Element::path, "cluster name", f.problems());
    return names.stream().map(e -> e.node().stringValue()).toList();
  }

  /**
   * Reads {@code resourceSelectors}. A selector's namespace, when given, must be the policy's own:
   * a namespaced policy selects templates of its namespace only.
   *
   * @param required whether at least one selector must be given (PropagationPolicy); otherwise
   *     absence means every template of the namespace, and an explicit empty list is refused
   */
  static List<ResourceSelector> resourceSelectors(
      Fields spec, String policyNamespace, boolean required) {
    String key = "resourceSelectors";
    boolean given = spec.has(key);
    List<Fields> elements = spec.objectList(key);
    if (!given && required) {
      spec.problems().add(spec.path(key), "required: at least one selector");
    } else if (given
        && elements.isEmpty()
        && spec.raw(key).filter(a -> a.isArray() && a.isEmpty()).isPresent()) {
      spec.problems()
          .add(
              spec.path(key),
              required
                  ? "must not be empty: at least one selector"
                  : "must not be empty; leave it out to select every template of the namespace");
    }
    List<ResourceSelector> out = new ArrayList<>();
    for (Fields s : elements) {
      resourceSelector(s, policyNamespace).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<ResourceSelector> resourceSelector(Fields s, String policyNamespace) {
    Optional<String> apiVersion = s.requiredString("apiVersion");
    apiVersion
        .flatMap(PolicyReaders::checkApiVersion)
        .ifPresent(r -> s.problems().add(s.path("apiVersion"), r));
    Optional<String> kind = s.requiredString("kind");
    kind.filter(k -> !KIND.matcher(k).matches())
        .ifPresent(
            k ->
                s.problems()
                    .add(
                        s.path("kind"),
                        "\""
                            + k
                            + "\" is not a kind: a CamelCase name starting with an upper-case"
                            + " letter, such as Deployment"));
    String namespace = s.string("namespace").orElse("");
    if (!namespace.isEmpty() && !namespace.equals(policyNamespace)) {
      s.problems()
          .add(
              s.path("namespace"),
              "must be the policy's own namespace \""
                  + policyNamespace
                  + "\" or left out, got \""
                  + namespace
                  + "\": a namespaced policy selects templates of its namespace only");
    }
    String name = s.string("name").orElse("");
    if (!name.isEmpty()) {
      Names.checkDnsSubdomain(name).ifPresent(r -> s.problems().add(s.path("name"), r));
    }
    Optional<LabelSelector> labels = labelSelector(s, "labelSelector");
    s.rejectUnknown();
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ResourceSelector(apiVersion.get(), kind.get(), namespace, name, labels));
  }

  /** {@code v1}, or {@code group/version} such as {@code apps/v1}. */
  private static Optional<String> checkApiVersion(String v) {
    int slash = v.indexOf('/');
    boolean valid =
        slash < 0
            ? Names.checkDnsLabel(v).isEmpty()
            : Names.checkDnsSubdomain(v.substring(0, slash)).isEmpty()
                && Names.checkDnsLabel(v.substring(slash + 1)).isEmpty();
    return valid
        ? Optional.empty()
        : Optional.of("\"" + v + "\" is not an apiVersion such as v1 or apps/v1");
  }

  /** {@code spec.priority}: any integer, 0 when absent. */
  static int priority(Fields spec) {
    OptionalInt p = spec.integer("priority");
    return p.orElse(0);
  }

  /** Reads {@code status}: its conditions, each type at most once. */
  static PolicyStatus status(Fields status) {
    record At(Condition condition, String path) {}
    List<At> conditions = new ArrayList<>();
    for (Fields c : status.objectList("conditions")) {
      condition(c).ifPresent(v -> conditions.add(new At(v, c.path())));
    }
    rejectDuplicates(
        conditions, c -> c.condition().type(), At::path, "condition type", status.problems());
    status.ignore("observedGeneration");
    status.rejectUnknown();
    return new PolicyStatus(conditions.stream().map(At::condition).toList());
  }

  private static Optional<Condition> condition(Fields c) {
    Optional<String> type = c.requiredString("type");
    Optional<ConditionStatus> st =
        oneOf(c, "status", Arrays.asList(ConditionStatus.values()), Enum::name, true);
    String reason = c.string("reason").orElse("");
    String message = c.string("message").orElse("");
    Optional<Instant> transition = time(c, "lastTransitionTime");
    Optional<Instant> heartbeat = time(c, "lastHeartbeatTime");
    c.ignore("observedGeneration");
    c.rejectUnknown();
    if (type.isEmpty() || st.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Condition(type.get(), st.get(), reason, message, transition, heartbeat));
  }

  private static Optional<Instant> time(Fields f, String key) {
    Optional<String> s = f.string(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s.get()));
    } catch (DateTimeParseException e) {
      f.problems()
          .add(
              f.path(key),
              "must be an RFC 3339 time such as 2026-11-26T12:00:00Z, got \"" + s.get() + "\"");
      return Optional.empty();
    }
  }

  /** Reports the items whose key occurs earlier in the list, each at its own path. */
  static <T> void rejectDuplicates(
      List<T> items,
      Function<T, String> keyOf,
      Function<T, String> pathOf,
      String what,
      Problems problems) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      String k = keyOf.apply(item);
      if (!seen.add(k)) {
        problems.add(pathOf.apply(item), "duplicate " + what + " \"" + k + "\"");
      }
    }
  }
}
