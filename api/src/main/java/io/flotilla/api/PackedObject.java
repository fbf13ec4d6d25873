package io.flotilla.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KubeObject} packed as its compact JSON in UTF-8, with its identity and resource version
 * at hand: what holders of many objects (stores, in-memory member clusters) keep, at a few times
 * less memory than the tree. {@link #unpack} parses it back into an object equal to the packed one.
 */
public final class PackedObject {
  private final byte[] json;
  private final ObjectRef ref;
  private final String resourceVersion;

  private PackedObject(byte[] json, ObjectRef ref, String resourceVersion) {
    this.json = json;
    this.ref = ref;
    this.resourceVersion = resourceVersion;
  }

  static PackedObject of(KubeObject object) {
    ObjectRef r = object.ref();
    // apiVersion, kind and namespace repeat across thousands of objects: share their strings
    ObjectRef shared =
        new ObjectRef(r.apiVersion().intern(), r.kind().intern(), r.namespace().intern(), r.name());
    return new PackedObject(object.toJsonBytes(), shared, object.resourceVersion().orElse(""));
  }

  /** The object, parsed anew (each call returns its own tree). */
  public KubeObject unpack() {
    return KubeObject.fromJsonBytes(json);
  }

  public ObjectRef ref() {
    return ref;
  }

  /** metadata.resourceVersion, when set. */
  public Optional<String> resourceVersion() {
    return resourceVersion.isEmpty() ? Optional.empty() : Optional.of(resourceVersion);
  }

  /** The size of the packed JSON in bytes. */
  public int size() {
    return json.length;
  }

  /** A copy of the packed JSON. */
  public byte[] toJsonBytes() {
    return json.clone();
  }

  /** Equal when the packed JSON is byte for byte the same. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PackedObject p && Arrays.equals(json, p.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, resourceVersion);
  }

  @Override
  public String toString() {
    return ref + "@" + resourceVersion;
  }
}
