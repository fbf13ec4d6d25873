package io.flotilla.store.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.api.PackedObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.StoreHandler.Change;

/**
 * One change to the store: the version it took, its kind, and the object after it, packed (the
 * store keeps thousands of them for watches).
 */
public record StoreEvent(long version, GroupKind kind, Change change, PackedObject packed) {
  public static StoreEvent of(long version, GroupKind kind, Change change, KubeObject object) {
    return new StoreEvent(version, kind, change, object.pack());
  }

  /** The object after the change, unpacked ({@link PackedObject#unpack}). */
  public KubeObject object() {
    return packed.unpack();
  }
}
