package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** NameMap behaves as an immutable TreeMap of the same entries. */
class NameMapTest {
  private static final Random RANDOM = new Random(20261126);

  private static TreeMap<String, Integer> randomTree() {
    TreeMap<String, Integer> t = new TreeMap<>();
    int n = RANDOM.nextInt(12);
    for (int i = 0; i < n; i++) {
      t.put("c" + RANDOM.nextInt(30), RANDOM.nextInt(5));
    }
    return t;
  }

  private static String randomKey() {
    return "c" + RANDOM.nextInt(32);
  }

  @Test
  void agreesWithTreeMapOnLookupsIterationAndRangeViewsOver500RandomMaps() {
    for (int k = 0; k < 500; k++) {
      TreeMap<String, Integer> tree = randomTree();
      NameMap<Integer> names = NameMap.copyOf(tree);
      assertThat(names).isEqualTo(tree).hasSameHashCodeAs(tree);
      assertThat(new ArrayList<>(names.keySet())).isEqualTo(new ArrayList<>(tree.keySet()));
      assertThat(new ArrayList<>(names.values())).isEqualTo(new ArrayList<>(tree.values()));
      String a = randomKey();
      String b = randomKey();
      String lo = a.compareTo(b) <= 0 ? a : b;
      String hi = a.compareTo(b) <= 0 ? b : a;
      assertThat(names.get(a)).isEqualTo(tree.get(a));
      assertThat(names.containsKey(a)).isEqualTo(tree.containsKey(a));
      assertThat(names.headMap(a)).isEqualTo(tree.headMap(a));
      assertThat(names.tailMap(a)).isEqualTo(tree.tailMap(a));
      assertThat(names.subMap(lo, hi)).isEqualTo(tree.subMap(lo, hi));
      SortedMap<String, Integer> view = names.subMap(lo, hi);
      SortedMap<String, Integer> expected = tree.subMap(lo, hi);
      if (!expected.isEmpty()) {
        assertThat(view.firstKey()).isEqualTo(expected.firstKey());
        assertThat(view.lastKey()).isEqualTo(expected.lastKey());
      }
    }
  }

  @Test
  void copiesAnUnsortedMapInNameOrder() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("dc3", 1);
    m.put("dc1", 2);
    m.put("dc2", 3);
    assertThat(NameMap.copyOf(m).keySet()).containsExactly("dc1", "dc2", "dc3");
  }

  @Test
  void aBuilderRefusesNamesOutOfOrderOrTwice() {
    NameMap.Builder<Integer> b = new NameMap.Builder<Integer>(2).put("b", 1);
    assertThatThrownBy(() -> b.put("a", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("names must be added in ascending order: a after b");
    assertThatThrownBy(() -> b.put("b", 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isImmutable() {
    NameMap<Integer> m = NameMap.copyOf(new TreeMap<>(Map.of("a", 1)));
    assertThatThrownBy(() -> m.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anEmptyMapHasNoFirstOrLastKey() {
    assertThat(NameMap.<Integer>empty()).isEmpty();
    assertThatThrownBy(() -> NameMap.empty().firstKey()).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> NameMap.empty().lastKey()).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void lookupsOfOtherTypesFindNothing() {
    NameMap<Integer> m = NameMap.copyOf(new TreeMap<>(Map.of("a", 1)));
    assertThat(m.get(1)).isNull();
    assertThat(m.containsKey(null)).isFalse();
    List<String> seen = new ArrayList<>();
    m.forEach((k, v) -> seen.add(k + "=" + v));
    assertThat(seen).containsExactly("a=1");
  }
}
