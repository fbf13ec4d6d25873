package io.flotilla.propagation;

import io.flotilla.api.ClusterAccess;
import io.flotilla.cluster.Member;

/** Opens a connection to a member cluster from how its MemberCluster says to reach it. */
@FunctionalInterface
public interface MemberFactory {
  /**
   * @throws io.flotilla.cluster.MemberException with INVALID_CONFIG when the access cannot be used
   *     (a missing Secret, a kubeconfig that does not parse), naming what is wrong
   */
  Member connect(String cluster, ClusterAccess access);
}
