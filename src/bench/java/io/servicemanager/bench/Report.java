package io.servicemanager.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** The results as Markdown: a summary against the targets, then the details behind each line. */
final class Report {
  private static final double P50_MARGIN_MS = 1;
  private static final double P99_MARGIN_MS = 5;
  private static final double SYNC_TARGET_MS = 1000;

  private final StringBuilder md = new StringBuilder();

  /** Any result may be null: that part failed, and {@code failures} says why. */
  String render(BenchConfig config, PushLatencyBench.Result push, ColdSyncBench.Result running,
      ColdSyncBench.Result inactive, List<String> failures, String environment, List<String> load, double wallSeconds,
      long leftovers) {
    List<ColdSyncBench.Result> syncs = new ArrayList<>();
    syncs.add(running);
    syncs.add(inactive);
    syncs.removeIf(Objects::isNull);

    line("## Benchmark results");
    line("");
    line(environment);
    line("");
    line("Machine load (load average 1 / 5 min; PSI: share of the last 10 s in which a runnable task waited for a CPU — "
        + "other work on this 2-core machine shows up in every latency): " + String.join("; ", load) + ".");
    line("");
    if (push != null) {
      pushSummary(config, push);
    }
    line("| measure | result | target | met |");
    line("|---|---|---|---|");
    syncs.forEach(this::syncRow);
    syncs.forEach(this::idleRow);
    line("");
    if (!failures.isEmpty()) {
      line("**Failed parts:**");
      failures.forEach(f -> line("- " + f));
      line("");
    }
    if (push != null) {
      pushDetail(config, push);
    }
    if (!syncs.isEmpty()) {
      syncDetail(syncs);
      idleDetail(syncs);
    }
    line(f("Whole benchmark: %.0f s wall clock. Processes left with `sleep infinity` after closing every sandbox: %d.",
        wallSeconds, leftovers));
    return md.toString();
  }

  /**
   * The targets read two ways: percentiles of /ws against percentiles of the floor (start and stop
   * latencies differ, so both distributions have two modes), and the percentiles of each transition's
   * own difference.
   */
  private void pushSummary(BenchConfig config, PushLatencyBench.Result push) {
    line("| push latency, StartUnit/StopUnit → /ws frame | floor p50 / p99 | /ws p50 / p99 | p50: /ws − floor (target ≤ 1 ms) | p99: /ws − floor (target ≤ 5 ms) | per transition (/ws − floor) p50 / p99 |");
    line("|---|---|---|---|---|---|");
    pushWindow(f("steady: %d rounds after %d", config.rounds(), config.warmupRounds() + config.rounds()
        + config.settleRounds()), push.steady());
    for (String to : List.of("active", "inactive")) {
      pushWindow(f("steady, → %s only", to), push.steady().stream().filter(t -> t.to().equals(to)).toList());
    }
    pushWindow(f("early: first %d rounds after %d warm-up", config.rounds(), config.warmupRounds()), push.early());
    line("");
    line("Starts reach the floor later than stops (systemd forks the process first), so the start/stop "
        + "distributions have two modes and their p50 falls between them; the per-transition differences read "
        + "the target most steadily.");
    line("");
  }

  private void pushWindow(String label, List<PushLatencyBench.Transition> ts) {
    Stats floor = stats(ts, PushLatencyBench.Transition::floor);
    Stats ws = stats(ts, PushLatencyBench.Transition::ws);
    Stats diff = stats(ts, t -> t.ws() - t.floor());
    line(f("| %s | %s / %s ms | %s / %s ms | %s ms %s | %s ms %s | %s %s / %s %s ms |", label, ms(floor.p50()),
        ms(floor.p99()), ms(ws.p50()), ms(ws.p99()),
        ms(ws.p50() - floor.p50()), mark(shown(ws.p50() - floor.p50()) <= P50_MARGIN_MS),
        ms(ws.p99() - floor.p99()), mark(shown(ws.p99() - floor.p99()) <= P99_MARGIN_MS),
        ms(diff.p50()), mark(shown(diff.p50()) <= P50_MARGIN_MS), ms(diff.p99()), mark(shown(diff.p99()) <= P99_MARGIN_MS)));
  }

  private void pushDetail(BenchConfig config, PushLatencyBench.Result push) {
    line(f("### Push latency in detail (%d timeouts)", push.timeouts()));
    line("");
    line("| series (ms after t0 = just before the call) | steady n | p50 | p90 | p99 | max | early n | p50 | p90 | p99 | max |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    List<PushLatencyBench.Transition> steady = push.steady();
    List<PushLatencyBench.Transition> early = push.early();
    pair("floor: raw dbus-java subscriber sees ActiveState", steady, early, PushLatencyBench.Transition::floor);
    pair("/ws client receives the status frame", steady, early, PushLatencyBench.Transition::ws);
    pair("/ws − floor, per transition", steady, early, t -> t.ws() - t.floor());
    pair("↳ event bus (status published) − floor", steady, early, t -> t.bus() - t.floor());
    pair("↳ /ws − event bus (hub, socket write, client read)", steady, early, t -> t.ws() - t.bus());
    pair("for comparison: floor handed on by runOnContext − floor", steady, early, t -> t.hop1() - t.floor());
    pair("for comparison: … then an event-bus publish to another event loop − floor", steady, early,
        t -> t.hop2() - t.floor());
    pair("StartUnit/StopUnit reply", steady, early, PushLatencyBench.Transition::reply);
    for (String to : List.of("active", "inactive")) {
      List<PushLatencyBench.Transition> s = steady.stream().filter(t -> t.to().equals(to)).toList();
      List<PushLatencyBench.Transition> e = early.stream().filter(t -> t.to().equals(to)).toList();
      pair("floor, → " + to + " only", s, e, PushLatencyBench.Transition::floor);
      pair("/ws, → " + to + " only", s, e, PushLatencyBench.Transition::ws);
      pair("/ws − floor, → " + to + " only", s, e, t -> t.ws() - t.floor());
    }
    push.notes().forEach(n -> line("- " + n));
    List<PushLatencyBench.Transition> diag = push.diagnostic();
    line("");
    line(f("Diagnostic pass (%d transitions, after the steady window; not in the figures above): one more "
        + "subscriber, the manager's own `DbusSystemdClient` on a connection of its own — its match rules "
        + "(every unit, Unit and Service interfaces), its hand-off to a Vert.x context, no verticle:", diag.size()));
    line("");
    line("| series (ms) | n | p50 | p90 | p99 | max |");
    line("|---|---|---|---|---|---|");
    statsRow("floor (ms after t0)", stats(diag, PushLatencyBench.Transition::floor));
    statsRow("DbusSystemdClient hands the signal to its context − floor", stats(diag, t -> t.client() - t.floor()));
    statsRow("event bus (status published) − floor", stats(diag, t -> t.bus() - t.floor()));
    statsRow("/ws − floor", stats(diag, t -> t.ws() - t.floor()));
    line("");
  }

  private void pair(String name, List<PushLatencyBench.Transition> steady, List<PushLatencyBench.Transition> early,
      ToLongFunction<PushLatencyBench.Transition> f) {
    Stats s = stats(steady, f);
    Stats e = stats(early, f);
    line(f("| %s | %d | %s | %s | %s | %s | %d | %s | %s | %s | %s |", name, s.n(), ms(s.p50()), ms(s.p90()),
        ms(s.p99()), ms(s.max()), e.n(), ms(e.p50()), ms(e.p90()), ms(e.p99()), ms(e.max())));
  }

  private static String mark(boolean ok) {
    return ok ? "✓" : "✗";
  }

  private void syncRow(ColdSyncBench.Result r) {
    double median = r.medianSyncMs();
    row(f("cold sync, %d %s", r.units(), label(r)), f("%.0f ms (median of %d: %s)", median, r.runs().size(),
            r.runs().stream().map(run -> f("%.0f", run.syncMs())).collect(Collectors.joining(", "))),
        "≤ 1000 ms", met(median <= SYNC_TARGET_MS));
  }

  private void idleRow(ColdSyncBench.Result r) {
    IdleBench.Result idle = r.idle();
    if (idle == null) {
      return;
    }
    row(f("idle D-Bus traffic, %d %s, %d s", r.units(), label(r), idle.seconds()),
        f("%d messages to/from the manager (%d on the bus)", idle.managerMessages(), idle.busMessages()),
        "0", met(idle.managerMessages() == 0));
    row(f("idle CPU, %d %s, %d s", r.units(), label(r), idle.seconds()),
        f("%.0f ms of CPU = %.3f %% of one core", idle.jvmCpuMs(), idle.percentOfCore()), "—", "—");
  }

  private void syncDetail(List<ColdSyncBench.Result> syncs) {
    int runs = syncs.get(0).runs().size();
    line(f("### Cold sync of %d template instances (Application.deploy → every unit's state published on the event bus)",
        syncs.get(0).units()));
    line("");
    line("The runs are timed to the last unit's state (the target); \"views complete\" is the last status event "
        + "before 3 s of silence — the timestamps and PIDs the status verticle reads after the states.");
    line("");
    StringBuilder header = new StringBuilder("| units | ");
    for (int i = 1; i <= runs; i++) {
      header.append("run ").append(i).append(" | ");
    }
    line(header + "median | first state published | views complete | status events | deploy() done | states seen (last run) | heap before deploy |");
    line("|---|" + "---|".repeat(runs) + "---|---|---|---|---|---|---|");
    for (ColdSyncBench.Result r : syncs) {
      StringBuilder cells = new StringBuilder();
      r.runs().forEach(run -> cells.append(f("%.0f ms | ", run.syncMs())));
      double deploy = Stats.median(r.runs().stream().mapToDouble(ColdSyncBench.Run::deployMs).toArray());
      double first = Stats.median(r.runs().stream().mapToDouble(ColdSyncBench.Run::firstMs).toArray());
      double complete = Stats.median(r.runs().stream().mapToDouble(ColdSyncBench.Run::completeMs).toArray());
      line(f("| %d %s | %s%.0f ms | %.0f ms | %.0f ms | %d | %.0f ms | %s | %.1f MiB |", r.units(), label(r), cells,
          r.medianSyncMs(), first, complete, r.runs().get(r.runs().size() - 1).events(), deploy,
          r.runs().get(r.runs().size() - 1).statuses(), r.heapBeforeMiB()));
    }
    line("");
    line("Medians over the runs. Where the time goes, measured afterwards with the manager's own `DbusSystemdClient` (no verticles):");
    line("");
    line("| units | connect (Hello, match rules, Subscribe) | readUnits: states, then details (3 reads) | bare ListUnitsByNames (≈ the states step) |");
    line("|---|---|---|---|");
    for (ColdSyncBench.Result r : syncs) {
      SyncBreakdown.Result b = r.breakdown();
      line(f("| %d %s | %.0f ms | %s ms | %.0f ms |", r.units(), label(r), b.connectMs(),
          b.readUnitsMs().stream().map(v -> f("%.0f", v)).collect(Collectors.joining(" / ")), b.listUnitsByNamesMs()));
    }
    for (ColdSyncBench.Result r : syncs) {
      line("");
      line(f("D-Bus messages during one more readUnits of the %d %s units (and the 2 s after it): %s.", r.units(), label(r),
          r.breakdown().busTraffic().entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
              .map(e -> f("%d × %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "))));
    }
    for (ColdSyncBench.Result r : syncs) {
      if (r.startUnitsMs() == r.startUnitsMs()) {
        line("");
        line(f("Starting the %d instances (pipelined StartUnit calls, until all were active) took %.0f ms.", r.units(), r.startUnitsMs()));
      }
    }
    line("");
  }

  private void idleDetail(List<ColdSyncBench.Result> syncs) {
    line("### Idle, every unit watched, one /ws client connected");
    line("");
    line("| units | window | JVM CPU | % of one core | GCs | D-Bus messages (all / manager's) | systemd CPU | dbus-daemon CPU | heap after GC | RSS |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    for (ColdSyncBench.Result r : syncs) {
      IdleBench.Result i = r.idle();
      if (i != null) {
        line(f("| %d %s | %d s | %.0f ms | %.3f %% | %d | %d / %d | %d ms | %d ms | %.1f MiB | %.1f MiB |", r.units(),
            label(r), i.seconds(), i.jvmCpuMs(), i.percentOfCore(), i.gcs(), i.busMessages(), i.managerMessages(),
            (long) i.systemdCpuMs(), (long) i.busDaemonCpuMs(), i.heapMiB(), i.rssMiB()));
      }
    }
    for (ColdSyncBench.Result r : syncs) {
      IdleBench.Result i = r.idle();
      if (i == null) {
        continue;
      }
      line("");
      line(f("Idle CPU by thread (%s; /proc/self/task, 10 ms ticks; the /ws client's Vert.x runs in this JVM too): %s. "
              + "/ws snapshot: %d bytes.", label(r), i.threadCpuMs().entrySet().stream().limit(10)
              .map(e -> f("%s %.0f ms", e.getKey(), e.getValue())).collect(Collectors.joining(", ")),
          i.snapshotBytes()));
    }
    for (ColdSyncBench.Result r : syncs) {
      IdleBench.Result i = r.idle();
      if (i != null && !i.byKind().isEmpty()) {
        line("");
        line(f("Messages on the bus while idle (%s; the manager's connections are %s):", label(r), i.managerNames()));
        i.byKind().forEach((kind, n) -> line(f("- %d × %s", n, kind)));
      }
    }
    line("");
  }

  private static String label(ColdSyncBench.Result r) {
    return r.running() ? "running" : "inactive";
  }

  private static Stats stats(List<PushLatencyBench.Transition> ts, ToLongFunction<PushLatencyBench.Transition> f) {
    return Stats.of(ts.stream().map(t -> f.applyAsLong(t)).toList());
  }

  private void statsRow(String name, Stats s) {
    line(f("| %s | %d | %s | %s | %s | %s |", name, s.n(), ms(s.p50()), ms(s.p90()), ms(s.p99()), ms(s.max())));
  }

  private void row(String measure, String result, String target, String met) {
    line("| " + measure + " | " + result + " | " + target + " | " + met + " |");
  }

  private static String met(boolean ok) {
    return ok ? "yes" : "**no**";
  }

  private static String ms(double value) {
    return f("%.2f", value);
  }

  /** Milliseconds as shown, to 10 µs: a verdict never contradicts the figure printed next to it. */
  private static double shown(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private void line(String text) {
    md.append(text).append('\n');
  }
}
