package io.flotilla.cluster.health;

import io.flotilla.cluster.ResourceUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a monitor told, in order. */
final class RecordingListener implements HealthListener {
  record Told(String member, MemberHealth health, ResourceUsage usage) {}

  final List<Told> told = new CopyOnWriteArrayList<>();

  @Override
  public void onHealthChanged(String member, MemberHealth health) {
    told.add(new Told(member, health, null));
  }

  @Override
  public void onResourcesRefreshed(String member, ResourceUsage usage) {
    told.add(new Told(member, null, usage));
  }

  List<MemberHealth> health(String member) {
    return told.stream()
        .filter(t -> t.member().equals(member) && t.health() != null)
        .map(Told::health)
        .toList();
  }

  List<ResourceUsage> usage(String member) {
    return told.stream()
        .filter(t -> t.member().equals(member) && t.usage() != null)
        .map(Told::usage)
        .toList();
  }
}
