package io.flotilla.servers.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node (the Elasticsearch stand-in) embedded in a plain JVM, for the sandbox and the
 * drills: {@code OpenSearchNode <home>/config/opensearch.yml}. Reads the configuration as the real
 * distribution does (the file's directory is the config directory, its parent {@code path.home}
 * unless the file or the system property {@code opensearch.path.home} says otherwise), configures
 * log4j2 from {@code log4j2.properties} beside it, starts the node with the Netty4 transport (a
 * module in the distribution, a classpath plugin here) and runs until it is stopped: SIGTERM closes
 * the node cleanly, waiting up to 10 s for it.
 *
 * <p>What the distribution's bootstrap does and this launcher does not, on purpose: it installs no
 * security manager (deprecated since Java 17, and nothing here needs its sandbox), checks no jar
 * hell (the classpath is Maven's resolution of one artifact), runs no bootstrap checks (OpenSearch
 * only enforces them when a node binds a non-loopback address, and the sandbox binds 127.x.y.z
 * only), and loads no native code through JNA (no {@code bootstrap.memory_lock}, no system call
 * filter); the node's own uses of JNA degrade to warnings if it cannot load. The JVM's {@code
 * java.io.tmpdir} (OpenSearch's temporary directory) is created when missing, as the distribution's
 * start script does.
 */
public final class OpenSearchNode {
  private static final String CONFIG_FILE = "opensearch.yml";
  private static final String LOG_CONFIG_FILE = "log4j2.properties";

  private OpenSearchNode() {}

  /** The node with the plugins the distribution ships as modules and the sandbox needs. */
  static final class EmbeddedNode extends Node {
    EmbeddedNode(Environment environment) {
      super(environment, List.of(Netty4Plugin.class), true);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Path.of(args[0]).getFileName().toString().equals(CONFIG_FILE)) {
      System.err.println("usage: OpenSearchNode <config-dir>/" + CONFIG_FILE);
      System.exit(2);
    }
    Path config = Path.of(args[0]).toAbsolutePath().normalize();
    if (!Files.isRegularFile(config)) {
      System.err.println("no configuration file " + config);
      System.exit(2);
    }
    // log4j's own shutdown hook would stop logging while the node is still closing (the
    // distribution's jvm.options sets the same)
    System.setProperty("log4j.shutdownHookEnabled", "false");
    System.setProperty("log4j2.disable.jmx", "true");
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    Thread.setDefaultUncaughtExceptionHandler(OpenSearchNode::uncaught);

    Environment environment = environment(config);
    LogConfigurator.registerErrorListener();
    LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
    if (Files.isRegularFile(environment.configFile().resolve(LOG_CONFIG_FILE))) {
      LogConfigurator.configure(environment);
    } else {
      System.err.println(
          "no " + LOG_CONFIG_FILE + " in " + environment.configFile() + ": logging errors only");
      LogConfigurator.configureWithoutConfig(environment.settings());
    }
    Logger log = LogManager.getLogger(OpenSearchNode.class);

    Node node;
    try {
      node = new EmbeddedNode(environment);
    } catch (RuntimeException | Error e) {
      log.error("the node could not be created", e);
      System.exit(1);
      return;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> close(node, log, closed), "opensearch-shutdown"));
    try {
      node.start();
    } catch (Exception | Error e) {
      log.error("the node failed to start", e);
      System.exit(1);
    }
    log.info("started from {}", config);
    closed.await();
  }

  /**
   * The node's environment: the configuration file's directory as the config directory, and unless
   * the file sets {@code path.home}, the system property {@code opensearch.path.home} or else the
   * config directory's parent (the distribution's layout, {@code <home>/config/opensearch.yml}).
   */
  static Environment environment(Path config) throws IOException {
    Path configDir = config.getParent();
    Path home = configDir.getParent() == null ? configDir : configDir.getParent();
    Settings file = Settings.builder().loadFromPath(config).build();
    Settings.Builder input = Settings.builder();
    if (!file.hasValue(Environment.PATH_HOME_SETTING.getKey())) {
      input.put(
          Environment.PATH_HOME_SETTING.getKey(),
          System.getProperty("opensearch.path.home", home.toString()));
    }
    return InternalSettingsPreparer.prepareEnvironment(
        input.build(), Map.of(), configDir, () -> home.getFileName().toString());
  }

  private static void close(Node node, Logger log, CountDownLatch closed) {
    try {
      log.info("stopping");
      node.close();
      if (!node.awaitClose(10, TimeUnit.SECONDS)) {
        log.warn("the node did not stop within 10 s");
      } else {
        log.info("stopped");
      }
    } catch (IOException | RuntimeException e) {
      log.error("the node failed to stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Configurator.shutdown((LoggerContext) LogManager.getContext(false));
      closed.countDown();
    }
  }

  /**
   * An Error (out of memory, say) leaves the JVM in no state to serve: halt, as OpenSearch does.
   */
  private static void uncaught(Thread t, Throwable e) {
    if (e instanceof Error) {
      try {
        System.err.println("fatal error in thread [" + t.getName() + "], halting");
        e.printStackTrace();
      } finally {
        Runtime.getRuntime().halt(1);
      }
    }
    LogManager.getLogger(OpenSearchNode.class)
        .error("uncaught exception in thread [{}]", t.getName(), e);
  }
}
