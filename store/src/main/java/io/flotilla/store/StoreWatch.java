package io.flotilla.store;

/** A running watch on the store; closing it stops the events. */
public interface StoreWatch extends AutoCloseable {
  @Override
  void close();
}
