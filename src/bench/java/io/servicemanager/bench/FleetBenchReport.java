package io.servicemanager.bench;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fleet benchmark's Markdown: what was measured, under which load, and the figures side by side. */
final class FleetBenchReport {
  private record NodeRow(String name, String role, double rssMiB, double peakMiB, double cpuMsPerS) {}

  private record Loss(String node, double killMs, double shownMs) {}

  private final FleetBenchConfig config;
  private final List<String> loads = new ArrayList<>();
  private final List<Long> fleetBus = new ArrayList<>();
  private final List<Long> fleetWs = new ArrayList<>();
  private final List<Long> standalone = new ArrayList<>();
  private final List<NodeRow> rows = new ArrayList<>();
  private final List<Loss> losses = new ArrayList<>();
  private int timeouts;
  private double formedMs;
  private boolean wsCarriedFleet;
  private double viewBytes;

  FleetBenchReport(FleetBenchConfig config) {
    this.config = config;
  }

  void load(String part) {
    loads.add(part + ": " + BenchMain.loadAverage());
  }

  void formed(double ms) {
    formedMs = ms;
  }

  /** @param wsNanos null when A's /ws does not carry other nodes' views; negative: not seen in time */
  void fleetSample(long busNanos, Long wsNanos) {
    add(fleetBus, busNanos);
    if (wsNanos != null) {
      add(fleetWs, wsNanos);
    }
  }

  void standaloneSample(long nanos) {
    add(standalone, nanos);
  }

  private void add(List<Long> samples, long nanos) {
    if (nanos < 0) {
      timeouts++;
    } else {
      samples.add(nanos);
    }
  }

  void wsCarriedFleet(boolean carried) {
    wsCarriedFleet = carried;
  }

  void node(String name, String role, double rssMiB, double peakMiB, double cpuMsPerS) {
    rows.add(new NodeRow(name, role, rssMiB, peakMiB, cpuMsPerS));
  }

  void viewBytes(double bytes) {
    viewBytes = bytes;
  }

  void loss(String node, double killMs, double shownMs) {
    losses.add(new Loss(node, killMs, shownMs));
  }

  void write() throws Exception {
    StringBuilder md = new StringBuilder();
    md.append(f("### Fleet, %s%n%n", Instant.now()));
    md.append(f("%d fleet nodes + 1 standalone server, each the packaged jar (`%s`) on a systemd sandbox of its own"
        + " with %d running units + `bench@push`, all on this machine (%d cores); the fleet formed (every node reachable"
        + " with its services on A) %.0f s after the first JVM started.%n%n", config.nodes(), String.join(" ", config.jvmOptions()),
        config.units(), Runtime.getRuntime().availableProcessors(), formedMs / 1000));
    md.append("Load (1 min / 5 min, CPU pressure):\n\n");
    loads.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append(f("%n#### Push latency, StartUnit/StopUnit → view arrives (%d rounds, sides alternating)%n%n", config.rounds()));
    md.append("| path | n | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    Stats s = Stats.of(standalone);
    Stats bus = Stats.of(fleetBus);
    row(md, "standalone: its /ws client", s);
    row(md, "fleet: node B → a fleet member's consumer of `servicemanager.fleet.status` (what A's directory receives)", bus);
    if (wsCarriedFleet) {
      row(md, "fleet: node B → a /ws client of dashboard A", Stats.of(fleetWs));
    } else {
      md.append("| fleet: node B → /ws client of A | — | not measured: A's /ws snapshot carried no other node's views | | | |\n");
    }
    md.append(f("%nRatio fleet bus / standalone /ws: p50 %.2f×, p99 %.2f×. Transitions not seen within 15 s: %d.%n",
        bus.p50() / s.p50(), bus.p99() / s.p99(), timeouts));
    if (wsCarriedFleet) {
      Stats ws = Stats.of(fleetWs);
      md.append(f("Ratio A's /ws / standalone /ws: p50 %.2f×, p99 %.2f×.%n", ws.p50() / s.p50(), ws.p99() / s.p99()));
    }
    md.append("\n#### Memory and idle CPU per node (").append(config.idleSeconds()).append(" s window, after the rounds)\n\n");
    md.append("| node | role | RSS MiB | peak RSS MiB | idle CPU ms/s |\n|---|---|---|---|---|\n");
    rows.forEach(r -> md.append(f("| %s | %s | %.0f | %.0f | %.1f |%n", r.name(), r.role(), r.rssMiB(), r.peakMiB(), r.cpuMsPerS())));
    List<NodeRow> plain = rows.stream().filter(r -> r.role().startsWith("node")).toList();
    double nodeRss = Stats.median(plain.stream().mapToDouble(NodeRow::rssMiB).toArray());
    double nodeCpu = Stats.median(plain.stream().mapToDouble(NodeRow::cpuMsPerS).toArray());
    NodeRow a = rows.get(0);
    NodeRow alone = rows.get(rows.size() - 1);
    double fleetRss = rows.stream().filter(r -> !r.role().equals("standalone")).mapToDouble(NodeRow::rssMiB).sum();
    md.append(f("%nMedian node (not A): RSS %.0f MiB (standalone %.0f MiB: %.2f×), idle CPU %.1f ms/s (standalone %.1f)."
        + " Dashboard A: RSS %.0f MiB, idle CPU %.1f ms/s. The whole fleet: %.0f MiB RSS.%n",
        nodeRss, alone.rssMiB(), nodeRss / alone.rssMiB(), nodeCpu, alone.cpuMsPerS(), a.rssMiB(), a.cpuMsPerS(), fleetRss));
    md.append("\n#### A lost node: kill -9 → `reachable: false` on A's /api/nodes (read every 50 ms)\n\n");
    md.append("| node | kill -9 returned ms | shown ms |\n|---|---|---|\n");
    losses.forEach(l -> md.append(f("| %s | %.0f | %.0f |%n", l.node(), l.killMs(), l.shownMs())));
    md.append(f("%n#### Carried forward on paper: 100 nodes × 100 units%n%n"
        + "- Each host runs one node: ≈ %.0f MiB RSS measured here with %d units.%n"
        + "- Dashboard A holds 10 000 views: ≈ %.0f bytes of JSON each on /api/nodes/{node}/services, so ≈ %.1f MiB as"
        + " text (objects in the heap take a few times that).%n"
        + "- Dashboard idle CPU: %.1f ms/s with %d other nodes, a plain node %.1f ms/s (one window each: read the load"
        + " above before carrying it further).%n", nodeRss, config.units(), viewBytes, 10_000 * viewBytes / (1024 * 1024),
        a.cpuMsPerS(), config.nodes() - 1, nodeCpu));
    System.out.println(md);
    Files.createDirectories(config.output().toAbsolutePath().getParent());
    Files.writeString(config.output(), md);
    System.out.println("written to " + config.output());
  }

  private static void row(StringBuilder md, String path, Stats s) {
    md.append(f("| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", path, s.n(), s.p50(), s.p90(), s.p99(), s.max()));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
