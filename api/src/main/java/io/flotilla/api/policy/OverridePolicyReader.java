package io.flotilla.api.policy;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Problems;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Fields;
import io.flotilla.api.io.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads and validates an {@code OverridePolicy} in Karmada's shape: {@code
 * spec.resourceSelectors[]}, {@code spec.priority} and {@code spec.overrideRules[]}, each with an
 * optional {@code targetCluster} and its {@code overriders}. Every problem is reported with its
 * field path: unknown fields (with the nearest known one), operators and components outside their
 * enums, JSON pointer syntax, a missing {@code value}, a {@code value} given to {@code remove}.
 */
public final class OverridePolicyReader {
  /** Reads values as the store's {@link io.flotilla.api.KubeObject}s do (int, long, double). */
  private static final List<OverriderOperator> ALL = List.of(OverriderOperator.values());

  private static final List<OverriderOperator> ADD_OR_REMOVE =
      List.of(OverriderOperator.ADD, OverriderOperator.REMOVE);

  private OverridePolicyReader() {}

  public static Decoded<OverridePolicy> read(Manifest manifest) {
    Problems problems = new Problems();
    Optional<Fields> rootOpt = Fields.of(manifest.node(), "", problems);
    if (rootOpt.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    Fields root = rootOpt.get();
    PolicyReaders.header(root, OverridePolicy.KIND);
    Optional<ObjectMeta> meta = PolicyReaders.metadata(root);
    String namespace = PolicyReaders.namespaceOf(meta);
    Optional<OverridePolicySpec> spec = Optional.empty();
    if (!root.has("spec")) {
      problems.add("spec", "required");
    } else {
      spec = root.object("spec").map(s -> spec(s, namespace));
    }
    PolicyStatus status =
        root.object("status").map(PolicyReaders::status).orElse(PolicyStatus.EMPTY);
    root.rejectUnknown();
    if (!problems.isEmpty() || meta.isEmpty() || spec.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    return new Decoded<>(
        Optional.of(new OverridePolicy(meta.get(), spec.get(), status)), List.of());
  }

  private static OverridePolicySpec spec(Fields spec, String namespace) {
    List<ResourceSelector> selectors = PolicyReaders.resourceSelectors(spec, namespace, false);
    int priority = PolicyReaders.priority(spec);
    for (String deprecated : List.of("targetCluster", "overriders")) {
      if (spec.has(deprecated)) {
        spec.problems()
            .add(
                spec.path(deprecated),
                "is deprecated since Karmada v1.0 and not read; put it in an overrideRules entry");
      }
    }
    List<OverrideRule> rules = new ArrayList<>();
    if (!spec.has("overrideRules")) {
      spec.problems().add(spec.path("overrideRules"), "required: at least one rule");
    } else {
      List<Fields> elements = spec.objectList("overrideRules");
      for (Fields r : elements) {
        rule(r).ifPresent(rules::add);
      }
      if (spec.raw("overrideRules").filter(a -> a.isArray() && a.isEmpty()).isPresent()) {
        spec.problems().add(spec.path("overrideRules"), "must not be empty: at least one rule");
      }
    }
    spec.rejectUnknown();
    return new OverridePolicySpec(selectors, priority, rules);
  }

  private static Optional<OverrideRule> rule(Fields r) {
    Optional<ClusterAffinity> target =
        r.object("targetCluster").map(PolicyReaders::clusterAffinity);
    Optional<Overriders> overriders = Optional.empty();
    if (!r.has("overriders")) {
      r.problems().add(r.path("overriders"), "required");
    } else {
      overriders = r.object("overriders").map(OverridePolicyReader::overriders);
    }
    r.rejectUnknown();
    return overriders.map(o -> new OverrideRule(target, o));
  }

  private static Overriders overriders(Fields o) {
    int before = o.problems().list().size();
    List<ImageOverrider> images = new ArrayList<>();
    o.objectList("imageOverrider").forEach(i -> image(i).ifPresent(images::add));
    List<CommandArgsOverrider> commands = new ArrayList<>();
    o.objectList("commandOverrider").forEach(c -> commandArgs(c).ifPresent(commands::add));
    List<CommandArgsOverrider> args = new ArrayList<>();
    o.objectList("argsOverrider").forEach(c -> commandArgs(c).ifPresent(args::add));
    List<LabelAnnotationOverrider> labels = new ArrayList<>();
    o.objectList("labelsOverrider").forEach(l -> labelAnnotation(l, true).ifPresent(labels::add));
    List<LabelAnnotationOverrider> annotations = new ArrayList<>();
    o.objectList("annotationsOverrider")
        .forEach(l -> labelAnnotation(l, false).ifPresent(annotations::add));
    List<PlaintextOverrider> plaintext = new ArrayList<>();
    o.objectList("plaintext").forEach(p -> plaintext(p).ifPresent(plaintext::add));
    o.rejectUnknown();
    Overriders out = new Overriders(images, commands, args, labels, annotations, plaintext);
    if (out.isEmpty() && o.problems().list().size() == before) {
      o.problems()
          .add(
              o.path(),
              "must hold at least one overrider: imageOverrider, commandOverrider, argsOverrider,"
                  + " labelsOverrider, annotationsOverrider or plaintext");
    }
    return out;
  }

  private static Optional<OverriderOperator> operator(Fields f, List<OverriderOperator> allowed) {
    return PolicyReaders.oneOf(f, "operator", allowed, OverriderOperator::value, true);
  }

  private static Optional<JsonPointer> pointer(Fields f, String key) {
    Optional<String> text = f.requiredString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonPointer.parse(text.get()));
    } catch (IllegalArgumentException e) {
      f.problems().add(f.path(key), e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<PlaintextOverrider> plaintext(Fields p) {
    Optional<JsonPointer> path = pointer(p, "path");
    Optional<OverriderOperator> op = operator(p, ALL);
    // copied by PlaintextOverrider; numbers compare by value (KubeObject.equals), whatever their
    // node type, so no round trip through JSON text is needed
    Optional<JsonNode> value = p.raw("value");
    p.rejectUnknown();
    if (op.isEmpty()) {
      return Optional.empty();
    }
    if (op.get() == OverriderOperator.REMOVE && value.isPresent()) {
      p.problems().add(p.path("value"), "must not be set when operator is remove");
      return Optional.empty();
    }
    if (op.get() != OverriderOperator.REMOVE && value.isEmpty()) {
      p.problems()
          .add(
              p.path("value"),
              "required when operator is " + op.get() + " (any JSON value except null)");
      return Optional.empty();
    }
    return path.map(pp -> new PlaintextOverrider(pp, op.get(), value));
  }

  private static Optional<ImageOverrider> image(Fields i) {
    Optional<JsonPointer> predicate = Optional.empty();
    boolean predicateValid = true;
    Optional<JsonNode> rawPredicate = i.raw("predicate");
    if (rawPredicate.isPresent() && rawPredicate.get().isString()) {
      i.problems()
          .add(
              i.path("predicate"),
              "must be an object {path: <JSON pointer>}, got "
                  + Fields.describe(rawPredicate.get()));
      predicateValid = false;
    } else {
      Optional<Fields> pf = i.object("predicate");
      if (pf.isPresent()) {
        predicate = pointer(pf.get(), "path");
        predicateValid = predicate.isPresent();
        pf.get().rejectUnknown();
      } else {
        predicateValid = rawPredicate.isEmpty();
      }
    }
    Optional<ImageComponent> component =
        PolicyReaders.oneOf(
            i, "component", Arrays.asList(ImageComponent.values()), Enum::name, true);
    Optional<OverriderOperator> op = operator(i, ALL);
    String value = i.string("value").orElse("");
    i.rejectUnknown();
    if (op.isEmpty() || component.isEmpty()) {
      return Optional.empty();
    }
    if (op.get() == OverriderOperator.REMOVE && !value.isEmpty()) {
      i.problems().add(i.path("value"), "must not be set when operator is remove");
      return Optional.empty();
    }
    if (op.get() != OverriderOperator.REMOVE && value.isEmpty()) {
      i.problems().add(i.path("value"), "required when operator is " + op.get());
      return Optional.empty();
    }
    if (op.get() == OverriderOperator.REPLACE) {
      Optional<String> reason =
          switch (component.get()) {
            case Registry -> ImageReference.checkRegistry(value);
            case Repository -> ImageReference.checkRepository(value);
            case Tag -> ImageReference.checkTagOrDigest(value);
          };
      if (reason.isPresent()) {
        i.problems().add(i.path("value"), reason.get());
        return Optional.empty();
      }
    }
    if (!predicateValid) {
      return Optional.empty();
    }
    return Optional.of(new ImageOverrider(predicate, component.get(), op.get(), value));
  }

  private static Optional<CommandArgsOverrider> commandArgs(Fields c) {
    Optional<String> container = c.requiredString("containerName");
    container
        .flatMap(Names::checkDnsLabel)
        .ifPresent(r -> c.problems().add(c.path("containerName"), r));
    Optional<OverriderOperator> op = operator(c, ADD_OR_REMOVE);
    boolean given = c.has("value");
    List<String> value = c.stringList("value");
    c.rejectUnknown();
    if (!given) {
      c.problems()
          .add(
              c.path("value"),
              "required: the arguments to " + op.map(o -> o.value()).orElse("add or remove"));
      return Optional.empty();
    }
    if (value.isEmpty() && c.raw("value").filter(a -> a.isArray() && a.isEmpty()).isPresent()) {
      c.problems().add(c.path("value"), "must not be empty");
      return Optional.empty();
    }
    if (container.isEmpty() || op.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new CommandArgsOverrider(container.get(), op.get(), value));
  }

  private static Optional<LabelAnnotationOverrider> labelAnnotation(Fields l, boolean labels) {
    Optional<OverriderOperator> op = operator(l, ALL);
    boolean given = l.has("value");
    SortedMap<String, String> value = l.stringMap("value");
    l.rejectUnknown();
    if (!given) {
      l.problems()
          .add(
              l.path("value"),
              "required: the " + (labels ? "labels" : "annotations") + " to change");
      return Optional.empty();
    }
    if (value.isEmpty() && l.raw("value").filter(JsonNode::isObject).isPresent()) {
      l.problems().add(l.path("value"), "must not be empty");
      return Optional.empty();
    }
    for (Map.Entry<String, String> e : value.entrySet()) {
      String p = Fields.child(l.path("value"), e.getKey());
      Names.checkQualifiedName(e.getKey()).ifPresent(r -> l.problems().add(p, r));
      if (labels && op.isPresent() && op.get() != OverriderOperator.REMOVE) {
        Names.checkLabelValue(e.getValue()).ifPresent(r -> l.problems().add(p, r));
      }
    }
    if (op.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LabelAnnotationOverrider(op.get(), value));
  }
}
