package io.flotilla.store;

import io.flotilla.api.ObjectRef;
import java.util.Objects;

/**
 * An API group and kind: what a store keys a type of object by. The version part of apiVersion does
 * not matter, so {@code apps/v1} and {@code apps/v1beta1} StatefulSets are one kind, and {@code v1}
 * is the core group "".
 */
public record GroupKind(String group, String kind) {
  public GroupKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
  }

  /** The group and kind of {@code apiVersion} ("apps/v1", "v1") and {@code kind}. */
  public static GroupKind of(String apiVersion, String kind) {
    return of(new ObjectRef(apiVersion, kind, "", "-"));
  }

  public static GroupKind of(ObjectRef ref) {
    return new GroupKind(ref.group(), ref.kind());
  }

  /** "StatefulSet.apps", or "ConfigMap" in the core group. */
  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
