package io.flotilla.propagation.render;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.Fields;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.OverrideRule;
import io.flotilla.api.policy.Overriders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Renders a resource template for one member cluster: a pure function of the template, the cluster
 * and the OverridePolicies, which never throws.
 *
 * <p>The policies that select the template apply in {@link PolicyMatcher#overridePoliciesInOrder}
 * order, so that of two policies changing one field the later (higher explicit priority, then more
 * specific selector, then later name) wins. Within a policy, its rules whose target cluster matches
 * apply in order; within a rule, the overriders apply in Karmada's order ({@link OverriderKind}),
 * each list in order.
 *
 * <p>A policy that cannot apply for a cluster — a patch path that does not exist, an image that
 * does not parse, a container that is not there, or a change of the object's apiVersion, kind,
 * namespace or name — yields one {@link OverrideFailure}, and none of that policy's changes for
 * that cluster: the object stays as the earlier policies left it, and later policies still apply.
 * Other clusters are rendered independently. (Karmada instead stops at the first error and applies
 * nothing for that cluster.)
 */
public final class OverrideRenderer {
  private static final List<String> IDENTITY =
      List.of("/apiVersion", "/kind", "/metadata/namespace", "/metadata/name");

  private OverrideRenderer() {}

  /** The template as it should be in {@code cluster}, and the policies that could not apply. */
  public static RenderResult render(
      KubeObject template, ClusterInfo cluster, Collection<OverridePolicy> policies) {
    List<JsonNode> identity = IDENTITY.stream().map(template::at).toList();
    JsonNode doc = null; // the template as it is, until a policy changes it
    List<OverrideFailure> failures = new ArrayList<>();
    for (OverridePolicy policy : PolicyMatcher.overridePoliciesInOrder(template, policies)) {
      if (!targets(policy, cluster)) {
        continue; // nothing to apply: no need to copy the document
      }
      // applied to a copy, so that a policy that fails part-way leaves nothing behind
      JsonNode copy = doc == null ? template.json() : doc.deepCopy();
      Outcome outcome = applyPolicy(policy, cluster, template, identity, copy);
      if (outcome.failure().isPresent()) {
        failures.add(outcome.failure().get());
      } else {
        doc = outcome.doc();
      }
    }
    // doc is this call's own copy: the result takes it as it is
    return new RenderResult(doc == null ? template : KubeObject.ofOwned(doc), failures);
  }

  /** The template rendered for every cluster, by cluster name. */
  public static SortedMap<String, RenderResult> renderEach(
      KubeObject template, Collection<ClusterInfo> clusters, Collection<OverridePolicy> policies) {
    SortedMap<String, RenderResult> out = new TreeMap<>();
    for (ClusterInfo c : clusters) {
      out.put(c.name(), render(template, c, policies));
    }
    return out;
  }

  /** Whether any rule of the policy applies to the cluster. */
  private static boolean targets(OverridePolicy policy, ClusterInfo cluster) {
    for (OverrideRule rule : policy.spec().overrideRules()) {
      if (rule.targetCluster().map(t -> PolicyMatcher.clusterMatches(t, cluster)).orElse(true)) {
        return true;
      }
    }
    return false;
  }

  /** A policy applied for one cluster: the changed tree, or why it could not apply. */
  private record Outcome(JsonNode doc, Optional<OverrideFailure> failure) {}

  private static Outcome applyPolicy(
      OverridePolicy policy,
      ClusterInfo cluster,
      KubeObject template,
      List<JsonNode> identity,
      JsonNode doc) {
    List<OverrideRule> rules = policy.spec().overrideRules();
    for (int r = 0; r < rules.size(); r++) {
      OverrideRule rule = rules.get(r);
      if (rule.targetCluster().map(t -> !PolicyMatcher.clusterMatches(t, cluster)).orElse(false)) {
        continue;
      }
      for (Step step : steps(rule.overriders(), template.kind())) {
        try {
          doc = step.action().apply(doc);
          checkIdentity(identity, doc);
        } catch (OverrideException e) {
          return new Outcome(
              doc,
              Optional.of(
                  new OverrideFailure(
                      policy.ref(),
                      r,
                      step.ref(),
                      template.ref(),
                      cluster.name(),
                      e.path(),
                      e.reason())));
        }
      }
    }
    return new Outcome(doc, Optional.empty());
  }

  /** Overrides may change anything but what names the object. */
  private static void checkIdentity(List<JsonNode> identity, JsonNode doc)
      throws OverrideException {
    if (!doc.isObject()) {
      throw new OverrideException("", "the result is " + Fields.describe(doc) + ", not an object");
    }
    for (int i = 0; i < IDENTITY.size(); i++) {
      String field = IDENTITY.get(i);
      JsonNode before = identity.get(i);
      JsonNode after = doc.at(field);
      if (!before.equals(after)) {
        throw new OverrideException(
            field,
            "an override must not change what names the object (apiVersion, kind, namespace,"
                + " name): "
                + describe(before)
                + " became "
                + describe(after));
      }
    }
  }

  private static String describe(JsonNode n) {
    return n.isMissingNode() ? "absent" : Fields.describe(n);
  }

  /** One overrider to apply, with its name for failures. */
  private record Step(OverriderRef ref, Action action) {}

  @FunctionalInterface
  private interface Action {
    JsonNode apply(JsonNode doc) throws OverrideException;
  }

  @FunctionalInterface
  private interface Applier<T> {
    JsonNode apply(JsonNode doc, T overrider) throws OverrideException;
  }

  /** The overriders of a rule, in the order they apply. */
  private static List<Step> steps(Overriders o, String kind) {
    List<Step> out = new ArrayList<>();
    add(out, OverriderKind.IMAGE, o.imageOverrider(), (d, x) -> ImageOverrides.apply(d, kind, x));
    add(
        out,
        OverriderKind.COMMAND,
        o.commandOverrider(),
        (d, x) -> ContainerArgs.apply(d, kind, ContainerArgs.Target.COMMAND, x));
    add(
        out,
        OverriderKind.ARGS,
        o.argsOverrider(),
        (d, x) -> ContainerArgs.apply(d, kind, ContainerArgs.Target.ARGS, x));
    add(
        out,
        OverriderKind.LABELS,
        o.labelsOverrider(),
        (d, x) -> MetadataMaps.apply(d, MetadataMaps.Target.LABELS, x));
    add(
        out,
        OverriderKind.ANNOTATIONS,
        o.annotationsOverrider(),
        (d, x) -> MetadataMaps.apply(d, MetadataMaps.Target.ANNOTATIONS, x));
    add(out, OverriderKind.PLAINTEXT, o.plaintext(), JsonPatch::apply);
    return out;
  }

  private static <T> void add(
      List<Step> out, OverriderKind kind, List<T> overriders, Applier<T> applier) {
    for (int i = 0; i < overriders.size(); i++) {
      T overrider = overriders.get(i);
      out.add(new Step(new OverriderRef(kind, i), doc -> applier.apply(doc, overrider)));
    }
  }
}
