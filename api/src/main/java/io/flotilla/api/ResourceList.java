package io.flotilla.api;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Named resource quantities ({@code cpu: "2"}, {@code memory: 4Gi}, ...), sorted by name. */
public record ResourceList(SortedMap<String, Quantity> quantities) {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  private static final ResourceList EMPTY = new ResourceList(new TreeMap<>());

  public ResourceList {
    quantities = Collections.unmodifiableSortedMap(new TreeMap<>(quantities));
  }

  public static ResourceList empty() {
    return EMPTY;
  }

  public static ResourceList of(String cpu, String memory) {
    SortedMap<String, Quantity> m = new TreeMap<>();
    m.put(CPU, Quantity.parse(cpu));
    m.put(MEMORY, Quantity.parse(memory));
    return new ResourceList(m);
  }

  public Optional<Quantity> get(String name) {
    return Optional.ofNullable(quantities.get(name));
  }

  public boolean isEmpty() {
    return quantities.isEmpty();
  }

  /** cpu in millicores and memory in bytes, rounded up; absent resources count as zero. */
  public Resources toResources() {
    long cpu = get(CPU).map(q -> q.milliValueCeil().longValueExact()).orElse(0L);
    long memory = get(MEMORY).map(q -> q.valueCeil().longValueExact()).orElse(0L);
    return new Resources(cpu, memory);
  }
}
