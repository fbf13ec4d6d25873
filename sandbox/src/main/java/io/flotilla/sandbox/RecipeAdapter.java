package io.flotilla.sandbox;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LaunchRecipe;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * An adapter as the sandbox renders it: each cluster's share as the adapter renders it, plus a
 * Secret {@code <middleware>-launch} holding the launch recipe of every instance by pod name, which
 * every StatefulSet's pod template names ({@link LocalCluster#RECIPES}). A Secret, because recipes
 * carry the instances' credentials; the same in every cluster, because the controller never writes
 * secret values into per-cluster overrides. Pure, like the adapter it wraps.
 */
public final class RecipeAdapter implements MiddlewareAdapter {
  private final MiddlewareAdapter adapter;

  public RecipeAdapter(MiddlewareAdapter adapter) {
    this.adapter = adapter;
  }

  /** The name of a middleware's recipe Secret. */
  public static String secretName(Middleware mw) {
    return mw.name() + "-launch";
  }

  @Override
  public MiddlewareType type() {
    return adapter.type();
  }

  @Override
  public List<Finding> check(Middleware middleware) {
    return adapter.check(middleware);
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology topology) {
    Middleware mw = topology.middleware();
    String secret = secretName(mw);
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
    KubeObject recipes = recipes(topology, secret);
    adapter
        .render(topology)
        .forEach(
            (cluster, objects) -> {
              List<KubeObject> share = new ArrayList<>();
              for (KubeObject o : objects) {
                share.add(o.kind().equals("StatefulSet") ? named(o, secret) : o);
              }
              share.add(recipes);
              out.put(cluster, share);
            });
    return out;
  }

  private static KubeObject named(KubeObject sts, String secret) {
    return sts.edit(
        o -> {
          ObjectNode meta = (ObjectNode) o.path("spec").path("template").path("metadata");
          ObjectNode ann =
              meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
          ann.put(LocalCluster.RECIPES, secret);
        });
  }

  private KubeObject recipes(Topology topology, String secret) {
    Middleware mw = topology.middleware();
    return KubeObject.create("v1", "Secret", mw.metadata().namespace().orElse("default"), secret)
        .edit(
            o -> {
              ObjectNode data = o.putObject("stringData");
              for (Instance i : topology.instances()) {
                data.put(i.podName(mw.name()), LaunchRecipe.write(adapter, topology, i));
              }
            });
  }

  @Override
  public SortedMap<String, String> secrets(Topology topology) {
    return adapter.secrets(topology);
  }

  @Override
  public List<String> credentialNames() {
    return adapter.credentialNames();
  }

  @Override
  public SortedMap<String, String> files(Topology topology, Instance instance) {
    return adapter.files(topology, instance);
  }

  @Override
  public LocalLaunch launch(Topology topology, Instance instance, String directory) {
    return adapter.launch(topology, instance, directory);
  }
}
