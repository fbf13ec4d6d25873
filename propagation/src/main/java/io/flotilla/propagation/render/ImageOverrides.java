package io.flotilla.propagation.render;

import io.flotilla.api.io.Fields;
import io.flotilla.api.policy.ImageOverrider;
import io.flotilla.api.policy.ImageReference;
import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.OverriderOperator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Applies an image overrider, as Karmada's {@code pkg/util/overridemanager/imageoverride.go} and
 * {@code pkg/util/imageparser/parser.go} do: {@code add} appends the value to the component's text
 * ({@code Registry} "a.io" + ".cn" is "a.io.cn"; a {@code Tag} result is taken as a tag or a
 * digest), {@code replace} sets it, {@code remove} clears it ({@code Tag} removes the tag, or the
 * digest when there is no tag). Where Karmada silently keeps an image it could not change, or
 * writes an invalid one, this fails instead: an image that does not parse, a tag that is neither a
 * tag nor a digest, or a result that is no valid reference (removing the repository, say).
 *
 * <p>Without a predicate, every container image and every init container image of the pod spec is
 * changed (Karmada changes containers only; init containers are its open issue
 * karmada-io/karmada#4283); a kind without a pod spec is left as it is, as in Karmada.
 */
final class ImageOverrides {
  private ImageOverrides() {}

  static JsonNode apply(JsonNode doc, String kind, ImageOverrider o) throws OverrideException {
    List<JsonPointer> targets =
        o.predicate().map(List::of).orElseGet(() -> PodTemplates.imagePaths(doc, kind));
    JsonNode out = doc;
    for (JsonPointer path : targets) {
      JsonNode current = JsonPatch.resolve(out, path, path);
      if (!current.isString()) {
        throw new OverrideException(
            path.toString(), "is " + Fields.describe(current) + ", not an image");
      }
      String changed;
      try {
        changed = rewrite(ImageReference.parse(current.stringValue()), o).toString();
        ImageReference.parse(changed);
      } catch (IllegalArgumentException e) {
        throw new OverrideException(path.toString(), e.getMessage());
      }
      out = JsonPatch.replace(out, path, StringNode.valueOf(changed));
    }
    return out;
  }

  /**
   * The image with the overrider's component changed.
   *
   * @throws IllegalArgumentException when a tag result is neither a tag nor a digest
   */
  static ImageReference rewrite(ImageReference image, ImageOverrider o) {
    String value = o.value();
    OverriderOperator op = o.operator();
    return switch (o.component()) {
      case Registry ->
          image.withRegistry(
              switch (op) {
                case ADD -> image.registry() + value;
                case REPLACE -> value;
                case REMOVE -> "";
              });
      case Repository ->
          image.withRepository(
              switch (op) {
                case ADD -> image.repository() + value;
                case REPLACE -> value;
                case REMOVE -> "";
              });
      case Tag ->
          switch (op) {
            case ADD -> withTagOrDigest(image, tagOrDigest(image) + value);
            case REPLACE -> withTagOrDigest(image, value);
            case REMOVE -> image.tag().isEmpty() ? image.withDigest("") : image.withTag("");
          };
    };
  }

  /** The tag, or the digest when there is no tag (Karmada's {@code TagOrDigest}). */
  private static String tagOrDigest(ImageReference image) {
    return image.tag().isEmpty() ? image.digest() : image.tag();
  }

  /** Karmada's {@code SetTagOrDigest}: a tag replaces the digest, a digest replaces the tag. */
  private static ImageReference withTagOrDigest(ImageReference image, String s) {
    if (ImageReference.isTag(s)) {
      return image.withTag(s).withDigest("");
    }
    if (ImageReference.isDigest(s)) {
      return image.withDigest(s).withTag("");
    }
    throw new IllegalArgumentException(
        "cannot set the tag of \"" + image + "\": " + ImageReference.checkTagOrDigest(s).orElse(s));
  }
}
