package io.flotilla.ops;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.LocalRuntime;
import io.flotilla.runtime.LocalRuntimeException;
import io.flotilla.runtime.RunningInstance;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A middleware run as local processes over three pretend clusters, for drills with real servers:
 * start a topology, kill an instance, start a replacement, stop everything. Shared with the
 * sandbox's tests through this module's test jar.
 */
public final class LocalDrill implements AutoCloseable {
  public static final List<String> CLUSTERS = List.of("dc1", "dc2", "dc3");

  public final Distributions distributions = Distributions.locate();
  public final LocalRuntime runtime = new LocalRuntime(distributions);
  public final Tools tools = new Tools(distributions);
  public final MiddlewareAdapter adapter;
  public final Middleware middleware;
  public final Map<String, String> credentials;
  public final Path dir;
  public final Map<Instance, RunningInstance> running = new LinkedHashMap<>();

  public LocalDrill(
      MiddlewareAdapter adapter, String middlewareYaml, Map<String, String> credentials, Path dir) {
    this.adapter = adapter;
    this.middleware = ObjectLoader.middlewares("drill", middlewareYaml).get(0);
    this.credentials = credentials;
    this.dir = dir;
  }

  public Topology topology(Placement placement, BaseIds bases, List<ShardPlacement> shards) {
    return Topology.of(
        middleware, placement, bases, shards, new LoopbackAddressing(CLUSTERS), credentials);
  }

  /** One instance of each role in each of {@link #CLUSTERS}. */
  public static Placement oneEach(String... roles) {
    Placement.Builder b = Placement.builder();
    for (String role : roles) {
      for (String cluster : CLUSTERS) {
        b.put(role, cluster, 1);
      }
    }
    return b.build();
  }

  /** Starts instances (all at once), then waits until every one is ready. */
  public void start(Topology t, List<Instance> instances) {
    List<RunningInstance> started = new ArrayList<>();
    for (Instance i : instances) {
      Path home = dir.resolve(i.cluster()).resolve(i.podName(middleware.name()));
      RunningInstance r =
          runtime.start(i.podName(middleware.name()), adapter.launch(t, i, home.toString()), home);
      running.put(i, r);
      started.add(r);
    }
    for (RunningInstance r : started) {
      try {
        r.awaitReady();
      } catch (LocalRuntimeException e) {
        throw new LocalRuntimeException(e.getMessage() + othersLogs(r), e);
      }
    }
  }

  /** The ends of every other instance's log, so that a start that fails tells its whole story. */
  private String othersLogs(RunningInstance failed) {
    StringBuilder b = new StringBuilder();
    for (RunningInstance r : running.values()) {
      if (r != failed) {
        b.append("\n--- ").append(r.name()).append(" (alive: ").append(r.alive()).append(")\n");
        b.append(r.tail(15));
      }
    }
    return b.toString();
  }

  public void kill(Instance i) {
    running.remove(i).kill();
  }

  @Override
  public void close() {
    running.values().forEach(RunningInstance::kill);
  }
}
