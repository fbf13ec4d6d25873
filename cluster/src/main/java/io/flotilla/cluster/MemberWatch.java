package io.flotilla.cluster;

/** A running watch on a member; closing it stops the events. */
public interface MemberWatch extends AutoCloseable {
  @Override
  void close();
}
