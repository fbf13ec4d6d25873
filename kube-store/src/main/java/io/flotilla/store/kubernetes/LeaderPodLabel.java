package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.store.LeaderElection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader election that labels this replica's pod {@code flotilla.io/leader: "true"} while it
 * leads and {@code "false"} otherwise, so that the control plane's Service selects the leader alone
 * (as Patroni labels the PostgreSQL primary's pod) while both replicas are Ready: a rolling update
 * of the Deployment then proceeds one replica at a time.
 *
 * <p>The label is written on a thread of its own, in the order leadership changed, so the election
 * never waits for the API server; a write that fails is tried again ({@value #TRIES} tries), then
 * logged. A replica that loses the lead without reaching the API server cannot take its own label
 * down: the next leader does, labelling {@code "false"} every other pod of this namespace that
 * still says {@code "true"} once its own pod is labelled, so the Service never sends requests to a
 * replica cut off from the API server after a new leader took over.
 */
public final class LeaderPodLabel implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderPodLabel.class);

  /** The label the Service selects on. */
  public static final String LABEL = "flotilla.io/leader";

  static final int TRIES = 5;
  private static final Duration BACKOFF = Duration.ofMillis(500);

  private final LeaderElection election;
  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final ExecutorService labeller =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "flotilla-leader-label");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param pod this replica's pod (the Deployment gives it as {@code POD_NAME})
   */
  public LeaderPodLabel(
      LeaderElection election, KubernetesClient client, String namespace, String pod) {
    this.election = Objects.requireNonNull(election, "election");
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.pod = Objects.requireNonNull(pod, "pod");
  }

  @Override
  public void start(Runnable onLead, Runnable onLoss) {
    submit(false); // a replica starts as a standby, whatever label its pod was created with
    election.start(
        () -> {
          submit(true);
          onLead.run();
        },
        () -> {
          submit(false);
          onLoss.run();
        });
  }

  @Override
  public boolean isLeader() {
    return election.isLeader();
  }

  @Override
  public String identity() {
    return election.identity();
  }

  /** Gives the lead up (the label goes to "false" first), then stops the labeller. */
  @Override
  public void close() {
    election.close();
    submit(false);
    labeller.shutdown();
    try {
      if (!labeller.awaitTermination(TRIES * BACKOFF.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        labeller.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      labeller.shutdownNow();
    }
  }

  private void submit(boolean leader) {
    try {
      labeller.execute(() -> label(leader));
    } catch (RejectedExecutionException e) {
      LOG.atDebug().addKeyValue("pod", pod).log("closed: leader label not written");
    }
  }

  /**
   * Labels {@code "false"} the other pods still labelled {@code "true"}: replicas that lost the
   * lead without reaching the API server. Only while this replica leads, so that a leader that has
   * just lost the lead does not take the label from its successor.
   */
  private void unlabelOthers() {
    for (Pod other :
        client.pods().inNamespace(namespace).withLabel(LABEL, "true").list().getItems()) {
      String name = other.getMetadata().getName();
      if (name.equals(pod) || !election.isLeader()) {
        continue;
      }
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              q ->
                  new PodBuilder(q)
                      .editMetadata()
                      .addToLabels(LABEL, "false")
                      .endMetadata()
                      .build());
      LOG.atWarn()
          .addKeyValue("pod", name)
          .addKeyValue(LABEL, "false")
          .log("took the leader label from a replica that lost the lead without taking it down");
    }
  }

  private void label(boolean leader) {
    String value = Boolean.toString(leader);
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        Pod p = client.pods().inNamespace(namespace).withName(pod).get();
        if (p == null) {
          LOG.atWarn()
              .addKeyValue("namespace", namespace)
              .addKeyValue("pod", pod)
              .log("cannot label this replica's pod: no such pod (is POD_NAME right?)");
          return;
        }
        if (value.equals(
            p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(LABEL))) {
          if (leader) {
            unlabelOthers();
          }
          return;
        }
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .edit(
                q ->
                    new PodBuilder(q)
                        .editMetadata()
                        .addToLabels(LABEL, value)
                        .endMetadata()
                        .build());
        LOG.atInfo().addKeyValue("pod", pod).addKeyValue(LABEL, value).log("pod labelled");
        if (leader) {
          unlabelOthers();
        }
        return;
      } catch (KubernetesClientException e) {
        LOG.atWarn()
            .addKeyValue("pod", pod)
            .addKeyValue(LABEL, value)
            .addKeyValue("attempt", attempt)
            .addKeyValue("reason", e.getMessage())
            .log("cannot label this replica's pod yet");
        try {
          Thread.sleep(BACKOFF.toMillis() * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
