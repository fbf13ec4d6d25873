package io.flotilla.api.io;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Problems;
import io.flotilla.api.Quantity;
import io.flotilla.api.ResourceList;
import io.flotilla.api.Resources;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.TaintEffect;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Readers for the pieces shared by every object: header, metadata, quantities, selectors. */
public final class CommonReaders {
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

  private CommonReaders() {}

  /** Checks apiVersion and kind. */
  static void header(Fields root, String kind) {
    root.requiredString("apiVersion")
        .filter(v -> !v.equals(ApiVersion.API_VERSION))
        .ifPresent(
            v ->
                root.problems()
                    .add(
                        "apiVersion", "must be " + ApiVersion.API_VERSION + ", got \"" + v + "\""));
    root.requiredString("kind")
        .filter(k -> !k.equals(kind))
        .ifPresent(k -> root.problems().add("kind", "must be " + kind + ", got \"" + k + "\""));
  }

  enum Scope {
    NAMESPACED,
    CLUSTER
  }

  enum NameRule {
    DNS_LABEL,
    DNS_SUBDOMAIN
  }

  static Optional<ObjectMeta> metadata(Fields root, Scope scope, NameRule rule) {
    Optional<Fields> meta = root.object("metadata");
    if (meta.isEmpty()) {
      root.problems().add("metadata", "required");
      return Optional.empty();
    }
    Fields m = meta.get();
    Optional<String> name = m.requiredString("name");
    name.flatMap(
            n -> rule == NameRule.DNS_LABEL ? Names.checkDnsLabel(n) : Names.checkDnsSubdomain(n))
        .ifPresent(reason -> m.problems().add(m.path("name"), reason));
    Optional<String> given = m.string("namespace");
    if (scope == Scope.CLUSTER && given.isPresent()) {
      m.problems().add(m.path("namespace"), "must not be set: this kind is cluster-scoped");
    }
    Optional<String> namespace = scope == Scope.CLUSTER ? Optional.empty() : given;
    namespace
        .flatMap(Names::checkDnsLabel)
        .ifPresent(reason -> m.problems().add(m.path("namespace"), reason));
    SortedMap<String, String> labels = m.stringMap("labels");
    labels.forEach(
        (k, v) -> {
          String p = Fields.child(m.path("labels"), k);
          Names.checkQualifiedName(k).ifPresent(r -> m.problems().add(p, r));
          Names.checkLabelValue(v).ifPresent(r -> m.problems().add(p, r));
        });
    SortedMap<String, String> annotations = m.stringMap("annotations");
    annotations.forEach(
        (k, v) ->
            Names.checkQualifiedName(k)
                .ifPresent(r -> m.problems().add(Fields.child(m.path("annotations"), k), r)));
    m.ignore(SERVER_SET_METADATA);
    m.rejectUnknown();
    return name.map(n -> new ObjectMeta(n, namespaceOf(namespace, scope), labels, annotations));
  }

  private static Optional<String> namespaceOf(Optional<String> namespace, Scope scope) {
    if (scope == Scope.CLUSTER) {
      return Optional.empty();
    }
    return Optional.of(namespace.orElse("default"));
  }

  /** Reads an enum constant by its exact name, listing the allowed names when it is not one. */
  static <E extends Enum<E>> Optional<E> enumValue(
      Fields f, String key, Class<E> type, boolean required) {
    Optional<String> s = required ? f.requiredString(key) : f.string(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(s.get())) {
        return Optional.of(e);
      }
    }
    f.problems()
        .add(
            f.path(key),
            "must be one of "
                + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name)
                    .collect(Collectors.joining(", "))
                + ", got \""
                + s.get()
                + "\"");
    return Optional.empty();
  }

  static Optional<TaintEffect> effect(Fields f, String key, boolean required) {
    return enumValue(f, key, TaintEffect.class, required);
  }

  /** Bounds for the cpu and memory of a resource list, with the words used in messages. */
  record Bounds(long maxCpuMillis, long maxMemoryBytes) {}

  /**
   * Reads a resource list ({@code cpu: "2", memory: 4Gi}). Every quantity must parse and be at
   * least zero; cpu and memory must be within {@code bounds}.
   */
  static ResourceList resourceList(Fields parent, String key, Bounds bounds) {
    SortedMap<String, Quantity> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : parent.entries(key)) {
      String p = Fields.child(parent.path(key), e.getKey());
      Names.checkQualifiedName(e.getKey()).ifPresent(r -> parent.problems().add(p, r));
      quantity(e.getValue(), p, parent.problems())
          .filter(q -> withinBounds(e.getKey(), q, p, bounds, parent.problems()))
          .ifPresent(q -> out.put(e.getKey(), q));
    }
    return new ResourceList(out);
  }

  private static boolean withinBounds(
      String resource, Quantity q, String path, Bounds bounds, Problems problems) {
    if (q.isNegative()) {
      problems.add(path, "must not be negative, got " + q);
      return false;
    }
    if (resource.equals(ResourceList.CPU)
        && q.milliValueCeil().compareTo(BigInteger.valueOf(bounds.maxCpuMillis())) > 0) {
      problems.add(
          path,
          "is too large: " + q + " (at most " + Resources.formatCpu(bounds.maxCpuMillis()) + ")");
      return false;
    }
    if (resource.equals(ResourceList.MEMORY)
        && q.valueCeil().compareTo(BigInteger.valueOf(bounds.maxMemoryBytes())) > 0) {
      problems.add(
          path,
          "is too large: "
              + q
              + " (at most "
              + Resources.formatMemory(bounds.maxMemoryBytes())
              + ")");
      return false;
    }
    return true;
  }

  static Optional<Quantity> quantity(JsonNode node, String path, Problems problems) {
    if (node.isContainer()) {
      problems.add(
          path, "must be a quantity such as \"500m\" or \"2Gi\", got " + Fields.describe(node));
      return Optional.empty();
    }
    Optional<String> text = Fields.scalarText(node, path, problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Quantity.parse(text.get()));
    } catch (IllegalArgumentException e) {
      problems.add(path, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Reads a label selector: Kubernetes' form ({@code matchLabels}, {@code matchExpressions}) or the
   * shorthand of a plain label map ({@code cluster: compute}, as in the talk's example).
   */
  public static Optional<LabelSelector> labelSelector(Fields parent, String key) {
    Optional<JsonNode> raw = parent.raw(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = raw.get();
    boolean structured =
        node.isObject() && (node.has("matchLabels") || node.has("matchExpressions"));
    if (!structured) {
      SortedMap<String, String> labels = parent.stringMap(key);
      checkLabels(labels, parent.path(key), parent.problems());
      return Optional.of(new LabelSelector(labels, List.of()));
    }
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
    Optional<SelectorOperator> op = enumValue(e, "operator", SelectorOperator.class, true);
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
   * Reports the items whose key occurs earlier in the list, each at its own path (items that failed
   * to read are not in the list, so positions come from the items, not list indices).
   */
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
