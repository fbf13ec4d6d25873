package io.flotilla.ops.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.ops.redis.RedisMembership.Node;
import io.flotilla.ops.redis.RedisMembership.SlotRange;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedisMembershipParsingTest {
  private static final String NODES =
      """
      07c37dfeb235213a872192d90877d0cd55635b91 127.1.0.2:6379@16379,127.1.0.2 myself,master - 0 1426238317239 1 connected 0-5460
      67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.2.0.3:6379@16379,127.2.0.3 master - 0 1426238316232 2 connected 5461-10922 12000
      292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.3.0.4:6379@16379 master,fail - 1426238316232 1426238316232 3 disconnected 10923-11999 12001-16383
      6ec23923021cf3ffec47632106199cb7f496ce01 127.2.32.5:6379@16379 slave 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 2 connected
      e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.1.32.7:6379@16379 slave 292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 0 1426238317741 3 connected [12000->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]
      """;

  @Test
  void clusterNodesLinesGiveIdAddressRoleMasterLinkAndSlots() {
    List<Node> nodes = RedisMembership.parseNodes(NODES);
    assertThat(nodes).hasSize(5);
    Node me = nodes.get(0);
    assertThat(me.id()).isEqualTo("07c37dfeb235213a872192d90877d0cd55635b91");
    assertThat(me.address()).isEqualTo(new Address("127.1.0.2", 6379));
    assertThat(me.myself()).isTrue();
    assertThat(me.master()).isTrue();
    assertThat(me.slots()).containsExactly(new SlotRange(0, 5460));
    assertThat(nodes.get(1).slots())
        .containsExactly(new SlotRange(5461, 10922), new SlotRange(12000, 12000));
    assertThat(nodes.get(2).failing()).isTrue();
    assertThat(nodes.get(2).connected()).isFalse();
    assertThat(nodes.get(3).masterId()).hasValue("67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1");
    assertThat(nodes.get(4).slots()).as("migration entries are not owned slots").isEmpty();
    assertThat(nodes.get(0).masterId()).isEqualTo(Optional.empty());
  }

  static Stream<Arguments> coverage() {
    return Stream.of(
        Arguments.of(
            Named.of("a failing master's slots are uncovered", NODES),
            List.of(new SlotRange(10923, 11999), new SlotRange(12001, 16383))),
        Arguments.of(
            Named.of(
                "every slot owned by a healthy master leaves nothing uncovered",
                NODES.replace("master,fail", "master").replace("disconnected", "connected")),
            List.of()),
        Arguments.of(
            Named.of(
                "no masters leave every slot uncovered",
                "07c37dfeb235213a872192d90877d0cd55635b91 127.1.0.2:6379@16379 myself,master - 0 0"
                    + " 0 connected\n"),
            List.of(new SlotRange(0, 16383))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("coverage")
  void slotsWithoutAHealthyMasterAreReportedAsRanges(String nodes, List<SlotRange> uncovered) {
    assertThat(RedisMembership.uncovered(RedisMembership.parseNodes(nodes)))
        .containsExactlyElementsOf(uncovered);
  }

  @Test
  void infoSectionsBecomeFieldsWithoutTheirHeadings() {
    assertThat(
            RedisMembership.info(
                "# Replication\r\nrole:slave\r\nmaster_host:127.1.0.2\r\nmaster_link_status:up\r\n"))
        .containsEntry("role", "slave")
        .containsEntry("master_link_status", "up")
        .doesNotContainKey("# Replication");
  }
}
