package io.flotilla.scheduler.shard;

/**
 * Clusters ordered by urgency (highest first), then index (lowest first), in a binary heap of ints
 * that also supports lowering one cluster's urgency in place. No boxing.
 */
final class UrgencyQueue {
  private final int[] urgency;
  private final int[] heap;
  private final int[] position;
  private int size;

  /** Holds the clusters whose {@code member} flag is set; urgencies are read from the array. */
  UrgencyQueue(int[] urgency, boolean[] member) {
    this.urgency = urgency;
    this.heap = new int[urgency.length];
    this.position = new int[urgency.length];
    java.util.Arrays.fill(position, -1);
    for (int i = 0; i < urgency.length; i++) {
      if (member[i]) {
        heap[size] = i;
        position[i] = size++;
      }
    }
    for (int k = size / 2 - 1; k >= 0; k--) {
      down(k);
    }
  }

  int size() {
    return size;
  }

  boolean contains(int c) {
    return position[c] >= 0;
  }

  /** The k-th entry of the heap array (not in order); with {@link #size()} to scan all. */
  int at(int k) {
    return heap[k];
  }

  /** The most urgent cluster. */
  int peek() {
    return heap[0];
  }

  int pop() {
    int top = heap[0];
    remove(top);
    return top;
  }

  void remove(int c) {
    int k = position[c];
    int last = heap[--size];
    position[c] = -1;
    if (k == size) {
      return;
    }
    heap[k] = last;
    position[last] = k;
    down(k);
    up(position[last]);
  }

  void add(int c) {
    heap[size] = c;
    position[c] = size;
    up(size++);
  }

  /** Restores order after cluster c's urgency was lowered. */
  void lowered(int c) {
    if (position[c] >= 0) {
      down(position[c]);
    }
  }

  private boolean before(int a, int b) {
    return urgency[a] != urgency[b] ? urgency[a] > urgency[b] : a < b;
  }

  private void up(int k) {
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      if (!before(heap[k], heap[parent])) {
        return;
      }
      swap(k, parent);
      k = parent;
    }
  }

  private void down(int k) {
    while (true) {
      int l = 2 * k + 1;
      if (l >= size) {
        return;
      }
      int c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[k])) {
        return;
      }
      swap(k, c);
      k = c;
    }
  }

  private void swap(int a, int b) {
    int t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
    position[heap[a]] = a;
    position[heap[b]] = b;
  }
}
