package io.flotilla.api.policy;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;

/**
 * Reads policies from the objects the store keeps ({@link KubeObject}), with the same validation as
 * files get: a stored policy a user broke by hand yields its problems, never an exception.
 */
public final class PolicyObjects {
  private PolicyObjects() {}

  public static Decoded<PropagationPolicy> propagationPolicy(KubeObject object) {
    return PropagationPolicyReader.read(manifest(object));
  }

  public static Decoded<OverridePolicy> overridePolicy(KubeObject object) {
    return OverridePolicyReader.read(manifest(object));
  }

  private static Manifest manifest(KubeObject object) {
    return new Manifest("store", object.ref().toString(), object.json());
  }
}
