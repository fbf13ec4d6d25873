package io.flotilla.cli;

import io.flotilla.api.Middleware;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.scheduler.FilteredCluster;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Survivability;
import io.flotilla.scheduler.Unschedulable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The human-readable form of a scheduling decision: a role × cluster matrix and notes. */
final class ScheduleTable {
  private ScheduleTable() {}

  static void print(Middleware mw, ScheduleResult r, PrintWriter out) {
    out.printf(
        "%s/%s (%s): %s%n",
        mw.metadata().namespace().orElse(""),
        mw.name(),
        mw.spec().type().id(),
        r.scheduled() ? "scheduled" : "NOT SCHEDULED");
    if (r.scheduled()) {
      out.println();
      matrix(mw, r, out);
      shards(r, out);
      survivability(r, out);
      notes(r, out);
    } else {
      out.println();
      Table t = new Table().row("ROLE", "CLUSTER", "REASON");
      for (Unschedulable u : r.unschedulable()) {
        t.row(u.role(), u.cluster().isEmpty() ? "-" : u.cluster(), u.reason());
      }
      t.print(out);
    }
    filtered(r, out);
  }

  private static void matrix(Middleware mw, ScheduleResult r, PrintWriter out) {
    TreeSet<String> clusters = new TreeSet<>(r.headroom().keySet());
    r.placement().roles().values().forEach(m -> clusters.addAll(m.keySet()));
    List<String> header = new ArrayList<>();
    header.add("ROLE");
    header.addAll(clusters);
    header.add("TOTAL");
    Table t = new Table().row(header);
    for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
      List<String> row = new ArrayList<>();
      row.add(role.role() + (role.isVoter(mw.spec().type()) ? " (voters)" : ""));
      for (String c : clusters) {
        int n = r.placement().count(role.role(), c);
        row.add(n == 0 ? "-" : Integer.toString(n));
      }
      row.add(Integer.toString(r.placement().total(role.role())));
      t.row(row);
    }
    List<String> headroom = new ArrayList<>();
    headroom.add("headroom after");
    for (String c : clusters) {
      Double h = r.headroom().get(c);
      headroom.add(h == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * h));
    }
    headroom.add("");
    t.row(headroom);
    t.print(out);
  }

  private static void shards(ScheduleResult r, PrintWriter out) {
    if (r.shards().isEmpty()) {
      return;
    }
    out.println();
    Table t = new Table().row("SHARD", "PRIMARY", "REPLICAS");
    for (ShardPlacement s : r.shards()) {
      t.row(Integer.toString(s.shard()), s.primary(), String.join(",", s.replicas()));
    }
    t.print(out);
  }

  private static void survivability(ScheduleResult r, PrintWriter out) {
    if (r.survivability().isEmpty()) {
      return;
    }
    out.println();
    Table t =
        new Table()
            .row("VOTER ROLE", "SURVIVES ANY ONE CLUSTER LOSS", "QUORUM", "BROKEN BY LOSING");
    for (Map.Entry<String, Survivability> e : r.survivability().entrySet()) {
      Survivability s = e.getValue();
      t.row(
          e.getKey(),
          s.survivesAnyClusterLoss() ? "yes" : "no",
          s.quorum() + " of " + s.voters(),
          s.breakingClusters().isEmpty() ? "-" : String.join(",", s.breakingClusters()));
    }
    t.print(out);
  }

  private static void notes(ScheduleResult r, PrintWriter out) {
    List<String> notes = new ArrayList<>();
    r.skewExceeded()
        .forEach(
            (role, skew) ->
                notes.add(
                    "role "
                        + role
                        + ": skew "
                        + skew
                        + " exceeds maxSkew, the smallest possible without moving replicas"));
    r.displaced()
        .forEach(
            (role, counts) ->
                notes.add(
                    "role "
                        + role
                        + ": moved off clusters that are no longer candidates: "
                        + counts));
    notes.addAll(r.warnings());
    if (!notes.isEmpty()) {
      out.println();
      notes.forEach(n -> out.println("note: " + n));
    }
  }

  private static void filtered(ScheduleResult r, PrintWriter out) {
    if (r.filtered().isEmpty()) {
      return;
    }
    out.println();
    Table t = new Table().row("NOT A CANDIDATE", "FILTER", "REASON");
    for (FilteredCluster f : r.filtered()) {
      t.row(f.cluster(), f.plugin(), f.reason());
    }
    t.print(out);
  }
}
