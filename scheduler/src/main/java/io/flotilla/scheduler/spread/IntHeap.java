package io.flotilla.scheduler.spread;

import java.util.NoSuchElementException;

/** A binary min-heap of ints under a comparator, without boxing. */
final class IntHeap {
  /** Compares two ints; negative when the first comes out of the heap first. */
  interface IntComparator {
    int compare(int a, int b);
  }

  private final int[] items;
  private final IntComparator order;
  private int size;

  IntHeap(int capacity, IntComparator order) {
    this.items = new int[Math.max(1, capacity)];
    this.order = order;
  }

  /** A heap of the first {@code count} values of {@code values}, built in O(count). */
  IntHeap(int[] values, int count, IntComparator order) {
    this(count, order);
    System.arraycopy(values, 0, items, 0, count);
    size = count;
    for (int k = size / 2 - 1; k >= 0; k--) {
      siftDown(k);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  void push(int v) {
    int i = size++;
    items[i] = v;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (order.compare(items[i], items[parent]) >= 0) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
  }

  int pop() {
    if (size == 0) {
      throw new NoSuchElementException("empty heap");
    }
    int top = items[0];
    items[0] = items[--size];
    siftDown(0);
    return top;
  }

  private void siftDown(int start) {
    int i = start;
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int c = l + 1 < size && order.compare(items[l + 1], items[l]) < 0 ? l + 1 : l;
      if (order.compare(items[c], items[i]) >= 0) {
        break;
      }
      swap(i, c);
      i = c;
    }
  }

  private void swap(int a, int b) {
    int t = items[a];
    items[a] = items[b];
    items[b] = t;
  }
}
