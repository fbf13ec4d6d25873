package io.flotilla.store.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.StoreHandler.Change;

/** One change to the store: the version it took, its kind, and the object after it. */
public record StoreEvent(long version, GroupKind kind, Change change, KubeObject object) {}
