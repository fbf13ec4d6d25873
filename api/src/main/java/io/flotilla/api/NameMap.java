package io.flotilla.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * An immutable map from names to values, sorted by name in natural order and backed by two arrays:
 * built in linear time from names already in order, looked up by binary search, and its range views
 * ({@link #headMap}, {@link #tailMap}, {@link #subMap}) share the arrays. Placements are built from
 * clusters that are already sorted, so this avoids a {@code TreeMap}'s n log n inserts. Mutators
 * throw {@link UnsupportedOperationException}, as for every immutable map.
 */
public final class NameMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
  private static final NameMap<?> EMPTY = new NameMap<>(new String[0], new Object[0], 0, 0);

  private final String[] names;
  private final Object[] values;
  private final int from;
  private final int to;

  private NameMap(String[] names, Object[] values, int from, int to) {
    this.names = names;
    this.values = values;
    this.from = from;
    this.to = to;
  }

  @SuppressWarnings("unchecked")
  public static <V> NameMap<V> empty() {
    return (NameMap<V>) EMPTY;
  }

  /** A copy of any map, sorted by name; linear when it is already a naturally ordered map. */
  public static <V> NameMap<V> copyOf(Map<String, ? extends V> map) {
    if (map instanceof NameMap<?> n) {
      @SuppressWarnings("unchecked")
      NameMap<V> same = (NameMap<V>) n;
      return same;
    }
    boolean sorted = map instanceof SortedMap<?, ?> s && s.comparator() == null;
    Builder<V> b = new Builder<>(map.size());
    if (sorted) {
      map.forEach(b::put);
      return b.build();
    }
    String[] keys = map.keySet().toArray(String[]::new);
    Arrays.sort(keys);
    for (String k : keys) {
      b.put(k, map.get(k));
    }
    return b.build();
  }

  /** Builds a map from entries given in strictly ascending name order. */
  public static final class Builder<V> {
    private String[] names;
    private Object[] values;
    private int size;

    public Builder(int expectedSize) {
      names = new String[Math.max(1, expectedSize)];
      values = new Object[names.length];
    }

    /**
     * @throws IllegalArgumentException when {@code name} is not after the previous one
     */
    public Builder<V> put(String name, V value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (size > 0 && names[size - 1].compareTo(name) >= 0) {
        throw new IllegalArgumentException(
            "names must be added in ascending order: " + name + " after " + names[size - 1]);
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size++] = value;
      return this;
    }

    public NameMap<V> build() {
      return size == 0 ? empty() : new NameMap<>(names, values, 0, size);
    }
  }

  /** The index of {@code key} in the whole arrays, or (−insertion point − 1). */
  private int search(Object key) {
    if (!(key instanceof String s)) {
      return -1 - from;
    }
    return Arrays.binarySearch(names, from, to, s);
  }

  /** The first index in range whose name is not below {@code key}. */
  private int lowerBound(String key) {
    int i = Arrays.binarySearch(names, from, to, Objects.requireNonNull(key, "key"));
    return i >= 0 ? i : -i - 1;
  }

  @Override
  public int size() {
    return to - from;
  }

  @Override
  public boolean containsKey(Object key) {
    return search(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = search(key);
    return i >= 0 ? (V) values[i] : null;
  }

  @Override
  public Comparator<? super String> comparator() {
    return null;
  }

  @Override
  public SortedMap<String, V> subMap(String fromKey, String toKey) {
    if (fromKey.compareTo(toKey) > 0) {
      throw new IllegalArgumentException("fromKey " + fromKey + " is after toKey " + toKey);
    }
    return new NameMap<>(names, values, lowerBound(fromKey), lowerBound(toKey));
  }

  @Override
  public SortedMap<String, V> headMap(String toKey) {
    return new NameMap<>(names, values, from, lowerBound(toKey));
  }

  @Override
  public SortedMap<String, V> tailMap(String fromKey) {
    return new NameMap<>(names, values, lowerBound(fromKey), to);
  }

  @Override
  public String firstKey() {
    if (from == to) {
      throw new NoSuchElementException("empty map");
    }
    return names[from];
  }

  @Override
  public String lastKey() {
    if (from == to) {
      throw new NoSuchElementException("empty map");
    }
    return names[to - 1];
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return to - from;
      }

      @Override
      public Iterator<Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int i = from;

          @Override
          public boolean hasNext() {
            return i < to;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Entry<String, V> next() {
            if (i >= to) {
              throw new NoSuchElementException();
            }
            int k = i++;
            return new SimpleImmutableEntry<>(names[k], (V) values[k]);
          }
        };
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(java.util.function.BiConsumer<? super String, ? super V> action) {
    for (int i = from; i < to; i++) {
      action.accept(names[i], (V) values[i]);
    }
  }
}
