package io.flotilla.server;

/** Valid objects of every writable kind, as JSON, for the tests. */
final class Objects {
  private Objects() {}

  static String middleware(String namespace, String name) {
    return """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "Middleware",
         "metadata": {"name": "%s", "namespace": "%s"},
         "spec": {"type": "zookeeper", "version": "3.9.5",
                  "replicaRequirements": [{"role": "participant", "replicas": 3}]}}
        """
        .formatted(name, namespace);
  }

  static String memberCluster(String name) {
    return """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "MemberCluster",
         "metadata": {"name": "%s", "labels": {"topology.flotilla.io/zone": "dc1"}},
         "spec": {"taints": []}}
        """
        .formatted(name);
  }

  static String propagationPolicy(String namespace, String name) {
    return """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "PropagationPolicy",
         "metadata": {"name": "%s", "namespace": "%s"},
         "spec": {"resourceSelectors": [{"apiVersion": "apps/v1", "kind": "StatefulSet",
                                         "name": "zk"}],
                  "placement": {"clusterAffinity": {"clusterNames": ["dc1", "dc2"]}}}}
        """
        .formatted(name, namespace);
  }

  static String overridePolicy(String namespace, String name) {
    return """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "OverridePolicy",
         "metadata": {"name": "%s", "namespace": "%s"},
         "spec": {"resourceSelectors": [{"apiVersion": "apps/v1", "kind": "StatefulSet",
                                         "name": "zk"}],
                  "overrideRules": [{"targetCluster": {"clusterNames": ["dc1"]},
                     "overriders": {"plaintext": [{"path": "/spec/replicas",
                                                   "operator": "replace", "value": 2}]}}]}}
        """
        .formatted(name, namespace);
  }
}
