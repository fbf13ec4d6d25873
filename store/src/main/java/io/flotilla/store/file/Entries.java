package io.flotilla.store.file;

import io.flotilla.api.KubeObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.memory.StoreEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A change as a record's payload: its resource version (8 bytes), its kind of change (1 byte: 0
 * ADDED, 1 MODIFIED, 2 DELETED) and the whole object after it as compact JSON in UTF-8 (for
 * DELETED, its last state). Whole objects, never patches, so that replay needs no earlier record.
 */
final class Entries {
  private static final Change[] CHANGES = Change.values();

  private Entries() {}

  static byte[] encode(StoreEvent event) {
    byte[] json = event.packed().toJsonBytes();
    return ByteBuffer.allocate(9 + json.length)
        .putLong(event.version())
        .put((byte) event.change().ordinal())
        .put(json)
        .array();
  }

  /**
   * @throws StoreException IO naming the file when the payload is not a change (its CRC matched, so
   *     it was written so: a bug, never a crash)
   */
  static StoreEvent decode(Path file, byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      long version = in.getLong();
      int change = in.get();
      if (version <= 0 || change < 0 || change >= CHANGES.length) {
        throw new IllegalArgumentException("version " + version + ", change " + change);
      }
      KubeObject object =
          KubeObject.parse(new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8));
      return StoreEvent.of(version, GroupKind.of(object.ref()), CHANGES[change], object);
    } catch (RuntimeException e) {
      throw new StoreException(
          Reason.IO,
          null,
          "the store file " + file + " holds a record that is not a change: " + e.getMessage(),
          e);
    }
  }
}
