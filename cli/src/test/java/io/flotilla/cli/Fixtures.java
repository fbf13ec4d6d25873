package io.flotilla.cli;

/** Small valid inputs that bad-input cases change one thing in. */
final class Fixtures {
  private Fixtures() {}

  static String cluster(String name, String cpu, String memory) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata:
          name: %s
          labels: {zone: %s}
        status:
          conditions:
            - {type: Ready, status: "True"}
          resourceSummary:
            allocatable: {cpu: "%s", memory: %s}
            allocated: {cpu: "0", memory: "0"}
        """
        .formatted(name, name, cpu, memory);
  }

  static final String THREE_CLUSTERS =
      cluster("dc1", "16", "64Gi")
          + "---\n"
          + cluster("dc2", "16", "64Gi")
          + "---\n"
          + cluster("dc3", "16", "64Gi");

  static String zookeeper(String roleLines) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: zk}
        spec:
          type: zookeeper
          replicaRequirements:
        %s
        """
        .formatted(roleLines.indent(4).stripTrailing());
  }

  static final String ZOOKEEPER_5 =
      zookeeper(
          """
          - role: participant
            replicas: 5
            resourceRequest:
              requests: {cpu: "1", memory: 2Gi}
          """);
}
