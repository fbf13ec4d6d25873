package io.flotilla.cluster.health;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of one member's health, as {@link HealthMonitor#tick()} returns it.
 *
 * @param previous empty when the member's health was not decided before
 */
public record HealthChange(String member, Optional<MemberHealth> previous, MemberHealth current) {
  public HealthChange {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
  }

  /** True when readiness flipped (or was first decided), not merely the reason. */
  public boolean isTransition() {
    return previous.map(p -> p.ready() != current.ready()).orElse(true);
  }
}
