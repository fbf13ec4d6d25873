package io.flotilla.api.policy;

import java.util.List;

/**
 * The overriders of one rule, each list in the order written. The components are listed in the
 * order they are applied (Karmada's order): images, command, args, labels, annotations, and the
 * plaintext JSON patches last.
 */
public record Overriders(
    List<ImageOverrider> imageOverrider,
    List<CommandArgsOverrider> commandOverrider,
    List<CommandArgsOverrider> argsOverrider,
    List<LabelAnnotationOverrider> labelsOverrider,
    List<LabelAnnotationOverrider> annotationsOverrider,
    List<PlaintextOverrider> plaintext) {
  public static final Overriders NONE =
      new Overriders(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  public Overriders {
    imageOverrider = List.copyOf(imageOverrider);
    commandOverrider = List.copyOf(commandOverrider);
    argsOverrider = List.copyOf(argsOverrider);
    labelsOverrider = List.copyOf(labelsOverrider);
    annotationsOverrider = List.copyOf(annotationsOverrider);
    plaintext = List.copyOf(plaintext);
  }

  public boolean isEmpty() {
    return imageOverrider.isEmpty()
        && commandOverrider.isEmpty()
        && argsOverrider.isEmpty()
        && labelsOverrider.isEmpty()
        && annotationsOverrider.isEmpty()
        && plaintext.isEmpty();
  }
}
