package io.flotilla.store.file;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.file.FileObjectStore.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A child process for {@link FileObjectStoreKillTest}: opens the store in {@code args[0]} and
 * writes until it is killed, printing each acknowledged write as {@code ACK <op> <name> <n> <rv>}
 * once it returned. Each of {@link #OBJECTS} objects goes through a cycle: created with n = 0,
 * updated to n = 1 ... {@link #LAST}, deleted, created again; its {@code spec.blob} is {@link
 * #blob} of its name and n, from a few bytes to tens of KiB, so that a torn object cannot pass.
 */
public final class CrashWriter {
  static final String API_VERSION = "flotilla.io/v1alpha1";
  static final int OBJECTS = 8;
  static final int LAST = 9;

  private CrashWriter() {}

  static ObjectRef ref(int i) {
    return new ObjectRef(API_VERSION, "Middleware", "crash", "obj-" + i);
  }

  /** The blob an object holds at {@code n}: its size varies from 20 bytes to about 40 KiB. */
  static String blob(String name, int n) {
    String unit = name + ":" + n + ";";
    int repeats = 1 + Math.floorMod((name + n).hashCode() * 31 + n, 4000);
    return unit.repeat(repeats);
  }

  static KubeObject object(String name, int n) {
    return KubeObject.parse(
            """
            {"apiVersion": "%s", "kind": "Middleware",
             "metadata": {"namespace": "crash", "name": "%s"},
             "spec": {"n": %d}}
            """
                .formatted(API_VERSION, name, n))
        .edit(o -> o.withObjectProperty("spec").put("blob", blob(name, n)));
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long compactAfterBytes = Long.parseLong(args[1]);
    FileObjectStore store =
        FileObjectStore.open(
            dir, Clock.systemUTC(), Settings.DEFAULT.withCompactAfterBytes(compactAfterBytes));
    System.out.println("READY " + store.resourceVersion());
    System.out.flush();
    for (long i = 0; ; i++) {
      ObjectRef ref = ref((int) (i % OBJECTS));
      Optional<KubeObject> stored = store.get(ref);
      String line;
      if (stored.isEmpty()) {
        KubeObject o = store.create(object(ref.name(), 0));
        line = "ACK CREATE " + ref.name() + " 0 " + o.resourceVersion().orElseThrow();
      } else {
        int n = stored.get().at("/spec/n").asInt();
        if (n < LAST) {
          KubeObject next =
              object(ref.name(), n + 1)
                  .edit(
                      o ->
                          o.withObjectProperty("metadata")
                              .put(
                                  "resourceVersion", stored.get().resourceVersion().orElseThrow()));
          KubeObject o = store.update(next);
          line =
              "ACK UPDATE " + ref.name() + " " + (n + 1) + " " + o.resourceVersion().orElseThrow();
        } else {
          store.delete(ref);
          line = "ACK DELETE " + ref.name() + " " + n + " " + store.resourceVersion();
        }
      }
      System.out.println(line);
      System.out.flush();
    }
  }
}
