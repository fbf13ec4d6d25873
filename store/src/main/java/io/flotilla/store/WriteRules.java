package io.flotilla.store;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.store.StoreException.Reason;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of {@link ObjectStore}'s writes as pure functions, so that every implementation applies
 * the same ones: what a written object must look like, what the store sets on create, what an
 * update may change and when it bumps the generation, how deletion marks an object. No I/O, no
 * locking, no clock: callers pass the time and the next resource version.
 */
public final class WriteRules {
  /**
   * The largest object a store accepts, as compact JSON in UTF-8: 1.5 MiB, etcd's default request
   * limit, so that whatever one store accepts a Kubernetes-backed one accepts too.
   */
  public static final int MAX_OBJECT_BYTES = 1536 * 1024;

  /** The metadata a store sets and keeps, whatever a write gives. */
  public static final List<String> SERVER_SET =
      List.of("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation");

  /** What generation does not track: everything else is the desired state. */
  private static final Set<String> NOT_DESIRED_STATE = Set.of("apiVersion", "metadata", "status");

  private WriteRules() {}

  /**
   * Checks an object given to a write and returns it in canonical form (as it reads back from its
   * own JSON): {@link #valid}, and at most {@link #MAX_OBJECT_BYTES} as compact JSON.
   *
   * @throws StoreException INVALID naming the field, as {@link #valid} does, or when larger than
   *     {@link #MAX_OBJECT_BYTES}
   */
  public static KubeObject checked(KubeObject object) {
    valid(object);
    PackedObject packed = object.pack();
    checkSize(object.ref(), packed.size());
    return packed.unpack();
  }

  /**
   * Checks what a write needs of an object before it is merged with what is stored, and returns it
   * as given: an update's size is checked on what it produces ({@link #checkSize}), and equality of
   * objects is by value whatever the caller built its JSON numbers with ({@link
   * KubeObject#equals}).
   *
   * @throws StoreException INVALID naming the field: no apiVersion or a malformed one, a name that
   *     is not a DNS subdomain, a namespace that is not a DNS label, finalizers that are not a list
   *     of strings
   */
  public static KubeObject valid(KubeObject object) {
    ObjectRef ref = object.ref();
    String apiVersion = object.apiVersion();
    if (apiVersion.isEmpty()) {
      throw invalid(ref, "apiVersion must be set (\"v1\", or \"group/version\")");
    }
    String[] parts = apiVersion.split("/", -1);
    if (parts.length > 2
        || Names.checkDnsLabel(parts[parts.length - 1]).isPresent()
        || (parts.length == 2 && Names.checkDnsSubdomain(parts[0]).isPresent())) {
      throw invalid(
          ref, "apiVersion \"" + apiVersion + "\" is not \"version\" or \"group/version\"");
    }
    Names.checkDnsSubdomain(object.name())
        .ifPresent(reason -> fail(ref, "metadata.name " + reason));
    if (!object.namespace().isEmpty()) {
      Names.checkDnsLabel(object.namespace())
          .ifPresent(reason -> fail(ref, "metadata.namespace " + reason));
    }
    JsonNode finalizers = object.at("/metadata/finalizers");
    if (!finalizers.isMissingNode()) {
      boolean strings = finalizers.isArray();
      for (JsonNode f : finalizers) {
        strings &= f.isString() && !f.stringValue().isEmpty();
      }
      if (!strings) {
        throw invalid(ref, "metadata.finalizers must be a list of non-empty strings");
      }
    }
    return object;
  }

  /**
   * Checks the size of an object a write produced, as its packed JSON (an update's merge with what
   * is stored can be larger than what the caller sent).
   *
   * @throws StoreException INVALID when larger than {@link #MAX_OBJECT_BYTES}
   */
  public static void checkSize(ObjectRef ref, int bytes) {
    if (bytes > MAX_OBJECT_BYTES) {
      throw invalid(
          ref,
          "the object is " + bytes + " bytes of JSON, more than the " + MAX_OBJECT_BYTES + " kept");
    }
  }

  /**
   * A checked object as create stores it: uid, resourceVersion, creationTimestamp (whole seconds,
   * RFC 3339) and generation 1 set, replacing any given; deletionTimestamp removed.
   */
  public static KubeObject created(KubeObject checked, UUID uid, Instant now, long version) {
    return checked.edit(
        n -> {
          ObjectNode meta = n.withObjectProperty("metadata");
          meta.remove("deletionTimestamp");
          meta.put("uid", uid.toString());
          meta.put("creationTimestamp", timestamp(now));
          meta.put("generation", 1);
          meta.put("resourceVersion", ResourceVersions.format(version));
        });
  }

  /**
   * What an update of {@code stored} to {@code given} (both canonical) writes, still carrying the
   * stored resourceVersion: the given object with the stored status and the stored server-set
   * metadata (uid, creationTimestamp, deletionTimestamp); generation one higher when anything but
   * apiVersion, metadata and status differs. Equal to {@code stored} when the update changes
   * nothing. The caller checks the resource version first.
   *
   * @throws StoreException INVALID when it adds finalizers to an object being deleted
   */
  public static KubeObject updated(KubeObject stored, KubeObject given) {
    if (stored.deletionTimestamp().isPresent()) {
      Set<String> added = new LinkedHashSet<>(given.finalizers());
      stored.finalizers().forEach(added::remove);
      if (!added.isEmpty()) {
        throw invalid(
            stored.ref(),
            "metadata.finalizers: no new finalizers can be added while the object is being"
                + " deleted, found "
                + added);
      }
    }
    boolean changed = !given.sameJsonBut(stored, NOT_DESIRED_STATE);
    JsonNode storedMeta = stored.at("/metadata");
    JsonNode storedStatus = stored.at("/status");
    return given.edit(
        out -> {
          ObjectNode meta = out.withObjectProperty("metadata");
          for (String field : SERVER_SET) {
            setOrRemove(meta, field, storedMeta.get(field));
          }
          setOrRemove(out, "status", storedStatus.isMissingNode() ? null : storedStatus);
          if (changed) {
            putGeneration(meta, stored.generation() + 1);
          }
        });
  }

  /**
   * What an updateStatus of {@code stored} writes: the stored object with the given object's status
   * (none when it has none), still carrying the stored resourceVersion. Equal to {@code stored}
   * when the status is the same.
   */
  public static KubeObject statusUpdated(KubeObject stored, KubeObject given) {
    JsonNode status = given.at("/status");
    return stored.edit(out -> setOrRemove(out, "status", status.isMissingNode() ? null : status));
  }

  /**
   * An object marked for deletion: deletionTimestamp set and, as Kubernetes does when it first
   * marks an object, generation one higher (being deleted is a new desired state). Still carries
   * the stored resourceVersion.
   */
  public static KubeObject markedForDeletion(KubeObject stored, Instant now) {
    return stored.edit(
        n -> {
          ObjectNode meta = n.withObjectProperty("metadata");
          meta.put("deletionTimestamp", timestamp(now));
          putGeneration(meta, stored.generation() + 1);
        });
  }

  /** True when deleting it, or removing its last finalizer, removes it at once. */
  public static boolean removable(KubeObject object) {
    return object.finalizers().isEmpty();
  }

  /** A copy written at {@code version}. */
  public static KubeObject atVersion(KubeObject object, long version) {
    return object.editMetadata(m -> m.put("resourceVersion", ResourceVersions.format(version)));
  }

  /**
   * Checks an update's or updateStatus's precondition: the given resourceVersion is the stored one.
   * A missing resourceVersion is not the stored one: there are no unconditional updates.
   *
   * @throws StoreException CONFLICT naming both versions
   */
  public static void requireVersion(KubeObject stored, KubeObject given) {
    Optional<String> expected = stored.resourceVersion();
    Optional<String> got = given.resourceVersion();
    if (!got.equals(expected)) {
      throw new StoreException(
          Reason.CONFLICT,
          stored.ref(),
          stored.ref()
              + " was changed since it was read: it is at resourceVersion "
              + expected.orElse("?")
              + ", the update was made from "
              + got.map(v -> "resourceVersion " + v).orElse("no resourceVersion")
              + "; read it again and reapply the change");
    }
  }

  /** RFC 3339 in UTC to whole seconds, as Kubernetes writes its timestamps. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** As the JSON parser would read it back (an int while it fits), so equal reads compare equal. */
  private static void putGeneration(ObjectNode meta, long generation) {
    if (generation <= Integer.MAX_VALUE) {
      meta.put("generation", (int) generation);
    } else {
      meta.put("generation", generation);
    }
  }

  private static void setOrRemove(ObjectNode n, String field, JsonNode value) {
    if (value == null) {
      n.remove(field);
    } else {
      n.set(field, value);
    }
  }

  private static void fail(ObjectRef ref, String message) {
    throw invalid(ref, message);
  }

  private static StoreException invalid(ObjectRef ref, String message) {
    return new StoreException(Reason.INVALID, ref, ref + " is invalid: " + message);
  }
}
