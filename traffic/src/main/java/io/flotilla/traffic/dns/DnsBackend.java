package io.flotilla.traffic.dns;

import java.util.List;

/** One data centre's DNS, as the registrar writes to it. */
public interface DnsBackend extends AutoCloseable {
  /** "etcd http://10.0.0.1:2379 /skydns", for messages and logs (no secret). */
  String describe();

  /**
   * Makes Flotilla's records in this DNS exactly {@code desired}: adds what is missing, changes
   * what differs, removes Flotilla's records that are no longer desired, and never touches records
   * without Flotilla's owner mark. Idempotent: after a failure, the next call catches up.
   *
   * @return how many records were written or removed
   * @throws DnsBackendException when the DNS cannot be reached or refuses a change
   */
  int sync(List<DnsRecord> desired);

  @Override
  default void close() {}
}
