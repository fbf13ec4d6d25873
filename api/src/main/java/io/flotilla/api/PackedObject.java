package io.flotilla.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A {@link KubeObject} packed as its compact JSON in UTF-8, with its identity and resource version
 * at hand: what holders of many objects (stores, in-memory member clusters) keep, at a few times
 * less memory than the tree. {@link #unpack} parses it back into an object equal to the packed one.
 *
 * <p>The objects packed or unpacked last keep their tree ({@value #KEPT_TREES} in the whole
 * process, the oldest let go first): one version of an object is usually read several times soon
 * after it is written (a write reads what it replaces, each watch is handed the new version, a
 * reader compares it), and a {@link KubeObject} is immutable, so they share one tree. A packed
 * object keeps the tree it was packed from only when parsing would give that very tree ({@link
 * KubeObject#readsBackAsIs}: the same node types, so nobody can tell it was not parsed).
 */
public final class PackedObject {
  /** How many trees are kept, process-wide (a power of two). */
  static final int KEPT_TREES = 256;

  private static final AtomicReferenceArray<PackedObject> KEPT =
      new AtomicReferenceArray<>(KEPT_TREES);
  private static final AtomicInteger NEXT_KEPT = new AtomicInteger();

  private final byte[] json;
  private final ObjectRef ref;
  private final String resourceVersion;

  /** The object while this is among the {@value #KEPT_TREES} packed or unpacked last, else null. */
  private volatile KubeObject tree;

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
    PackedObject packed =
        new PackedObject(object.toJsonBytes(), shared, object.resourceVersion().orElse(""));
    if (object.readsBackAsIs()) {
      packed.keep(object); // what its first unpack would parse, to the node type
    }
    return packed;
  }

  /**
   * The object: parsed, or the tree kept while this is among the objects packed or unpacked last
   * (an immutable object either way, equal to the packed one).
   */
  public KubeObject unpack() {
    KubeObject t = tree;
    if (t != null) {
      return t;
    }
    t = KubeObject.fromJsonBytes(json);
    keep(t);
    return t;
  }

  /**
   * Keeps {@code parsed} as this object's tree, and lets go of the tree kept longest. A race may
   * let one go early or keep one a little longer: the bound holds within a few.
   */
  private void keep(KubeObject parsed) {
    tree = parsed;
    PackedObject oldest = KEPT.getAndSet(NEXT_KEPT.getAndIncrement() & (KEPT_TREES - 1), this);
    if (oldest != null && oldest != this) {
      oldest.tree = null;
    }
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
