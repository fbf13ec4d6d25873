package io.flotilla.middleware;

import io.flotilla.middleware.LocalLaunch.Endpoint;
import io.flotilla.middleware.LocalLaunch.Program;
import io.flotilla.middleware.LocalLaunch.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link LocalLaunch} written down for a local member cluster, as a pod's recipe: JSON, with the
 * pod's directory left as {@link #POD_DIR} so that the cluster that runs the pod chooses where it
 * lives. The sandbox renders one per instance into the cluster's share (the way a ConfigMap carries
 * configuration), so a local cluster can start and restart its pods from its own objects alone,
 * with no control plane to ask.
 */
public final class LaunchRecipe {
  /** Stands for the pod's directory in a recipe; replaced by {@link #read}. */
  public static final String POD_DIR = "${FLOTILLA_POD_DIR}";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private LaunchRecipe() {}

  /** The recipe of an instance: its launch with {@link #POD_DIR} for its directory, as JSON. */
  public static String write(MiddlewareAdapter adapter, Topology topology, Instance instance) {
    return write(adapter.launch(topology, instance, POD_DIR));
  }

  static String write(LocalLaunch l) {
    ObjectNode o = F.objectNode();
    ObjectNode program = o.putObject("program");
    if (l.program() instanceof Program.Native n) {
      program.put("native", n.executable()).put("debianPackage", n.debianPackage());
    } else {
      Program.Jvm j = (Program.Jvm) l.program();
      program.put("distribution", j.distribution()).put("mainClass", j.mainClass());
      ArrayNode opts = program.putArray("jvmOptions");
      j.jvmOptions().forEach(opts::add);
    }
    ArrayNode args = o.putArray("args");
    l.args().forEach(args::add);
    ObjectNode env = o.putObject("environment");
    new TreeMap<>(l.environment()).forEach(env::put);
    ObjectNode files = o.putObject("files");
    l.files().forEach(files::put);
    ObjectNode seeds = o.putObject("seedFiles");
    l.seedFiles().forEach(seeds::put);
    ArrayNode endpoints = o.putArray("endpoints");
    for (Endpoint e : l.endpoints()) {
      endpoints.addObject().put("purpose", e.purpose()).put("host", e.host()).put("port", e.port());
    }
    o.set("readiness", readiness(l.readiness()));
    o.put("startTimeoutSeconds", l.startTimeout().toSeconds());
    return JSON.writeValueAsString(o);
  }

  private static ObjectNode readiness(Readiness r) {
    ObjectNode o = F.objectNode();
    if (r instanceof Readiness.TcpConnect t) {
      o.put("tcpConnect", t.host() + ":" + t.port());
    } else if (r instanceof Readiness.LogLine l) {
      o.put("logLine", l.regex());
    } else if (r instanceof Readiness.RedisPing p) {
      o.put("redisPing", p.host() + ":" + p.port());
    } else if (r instanceof Readiness.ZooKeeperServing z) {
      o.put("zooKeeperServing", z.host() + ":" + z.port());
    } else if (r instanceof Readiness.HttpOk h) {
      o.put("httpOk", h.url()).put("bodyContains", h.bodyContains());
    } else {
      ArrayNode all = o.putArray("allOf");
      ((Readiness.AllOf) r).checks().forEach(c -> all.add(readiness(c)));
    }
    return o;
  }

  /**
   * Reads a recipe, with {@code directory} for {@link #POD_DIR} everywhere it appears.
   *
   * @param name what the recipe is of, for messages (a pod's name)
   * @throws IllegalArgumentException naming the field when the recipe is malformed
   */
  public static LocalLaunch read(String name, String json, String directory) {
    JsonNode o;
    try {
      String escaped = JSON.writeValueAsString(directory);
      o = JSON.readTree(json.replace(POD_DIR, escaped.substring(1, escaped.length() - 1)));
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "launch recipe of " + name + " is not JSON: " + e.getOriginalMessage(), e);
    }
    Fields f = new Fields(name);
    JsonNode p = f.object(o, "program");
    Program program =
        p.has("native")
            ? new Program.Native(f.text(p, "native"), f.text(p, "debianPackage"))
            : new Program.Jvm(
                f.text(p, "distribution"), f.text(p, "mainClass"), f.texts(p, "jvmOptions"));
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonNode e : f.array(o, "endpoints")) {
      endpoints.add(new Endpoint(f.text(e, "purpose"), f.text(e, "host"), e.path("port").asInt()));
    }
    return new LocalLaunch(
        program,
        f.texts(o, "args"),
        f.map(o, "environment"),
        f.map(o, "files"),
        f.map(o, "seedFiles"),
        endpoints,
        readiness(f, f.object(o, "readiness")),
        Duration.ofSeconds(o.path("startTimeoutSeconds").asLong(60)));
  }

  private static Readiness readiness(Fields f, JsonNode o) {
    if (o.has("tcpConnect")) {
      HostPort h = f.hostPort(o, "tcpConnect");
      return new Readiness.TcpConnect(h.host(), h.port());
    }
    if (o.has("logLine")) {
      return new Readiness.LogLine(f.text(o, "logLine"));
    }
    if (o.has("redisPing")) {
      HostPort h = f.hostPort(o, "redisPing");
      return new Readiness.RedisPing(h.host(), h.port());
    }
    if (o.has("zooKeeperServing")) {
      HostPort h = f.hostPort(o, "zooKeeperServing");
      return new Readiness.ZooKeeperServing(h.host(), h.port());
    }
    if (o.has("httpOk")) {
      return new Readiness.HttpOk(f.text(o, "httpOk"), f.text(o, "bodyContains"));
    }
    if (o.has("allOf")) {
      List<Readiness> all = new ArrayList<>();
      for (JsonNode c : f.array(o, "allOf")) {
        all.add(readiness(f, c));
      }
      return new Readiness.AllOf(all);
    }
    throw new IllegalArgumentException(
        "launch recipe of " + f.name + ": readiness: none of the known checks");
  }

  private record HostPort(String host, int port) {}

  /** Reading fields with messages that name the recipe and the field. */
  private record Fields(String name) {
    IllegalArgumentException missing(String field, String what) {
      return new IllegalArgumentException(
          "launch recipe of " + name + ": " + field + " must be " + what);
    }

    String text(JsonNode o, String field) {
      JsonNode v = o.get(field);
      if (v == null || !v.isString()) {
        throw missing(field, "a string");
      }
      return v.asString();
    }

    JsonNode object(JsonNode o, String field) {
      JsonNode v = o.get(field);
      if (v == null || !v.isObject()) {
        throw missing(field, "an object");
      }
      return v;
    }

    JsonNode array(JsonNode o, String field) {
      JsonNode v = o.get(field);
      if (v == null || !v.isArray()) {
        throw missing(field, "an array");
      }
      return v;
    }

    List<String> texts(JsonNode o, String field) {
      List<String> out = new ArrayList<>();
      for (JsonNode v : array(o, field)) {
        out.add(v.asString());
      }
      return out;
    }

    SortedMap<String, String> map(JsonNode o, String field) {
      SortedMap<String, String> out = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : object(o, field).properties()) {
        out.put(e.getKey(), e.getValue().asString());
      }
      return out;
    }

    HostPort hostPort(JsonNode o, String field) {
      String v = text(o, field);
      int colon = v.lastIndexOf(':');
      try {
        return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
      } catch (RuntimeException e) {
        throw missing(field, "host:port, got " + v);
      }
    }
  }
}
