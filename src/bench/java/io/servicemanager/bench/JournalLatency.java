package io.servicemanager.bench;

import static io.servicemanager.bench.InsightBench.f;
import static io.servicemanager.bench.InsightBench.row;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.TransitionStore;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The journal on a sandbox with its own journald: the first 100 lines over REST beside the bare
 * journalctl run underneath it, and a new line's way to a /ws follower beside a {@code journalctl -f}
 * of the benchmark's own; plus the statistics REST route over the database the store part filled,
 * when this build declares the route.
 */
final class JournalLatency {
  static final String UNIT = "chatty.service";
  static final int BULK = InsightBench.env("BENCH_JOURNAL_LINES", 3_000);
  static final int FOLLOW_LINES = InsightBench.env("BENCH_FOLLOW_LINES", 50);
  static final int FOLLOW_WARMUP = 5;
  static final long PAUSE_MS = InsightBench.env("BENCH_FOLLOW_PAUSE_MS", 200);
  static final String STATS_ROUTE = "/api/services/{name}/stats";

  private JournalLatency() {}

  /** @param dir holds servicemanager.db, filled for {@code statsService} by the store part */
  static String run(Path dir, String statsService) throws Exception {
    // Prints BULK lines, then one "live-N" line per SIGUSR1 (wait returns on the trapped signal at once).
    String chatty = "[Service]\nExecStart=/bin/sh -c 'i=0; live() { i=$$((i+1)); echo live-$$i; }; trap live USR1;"
        + " seq -f bulk-%%g 1 " + BULK + "; while true; do sleep 600 & p=$$!; wait $$p; kill $$p 2>/dev/null; done'\n";
    StringBuilder md = new StringBuilder();
    try (SystemdSandbox sandbox = SystemdSandbox.builder().journal().unit(UNIT, chatty)
        .unit(statsService + ".service", "[Service]\nExecStart=/bin/sleep infinity\n").start()) {
      sandbox.systemctlOk("start", UNIT, statsService + ".service");
      String group = sandbox.property(UNIT, "ControlGroup");
      List<String> prefix = sandbox.journalCommandPrefix();
      awaitNewest(prefix, group, "bulk-" + BULK);
      Vertx vertx = Vertx.vertx();
      AppConfig config = new AppConfig("127.0.0.1", 0, sandbox.busAddress(), dir.resolve("none.yaml"),
          dir.resolve("history.jsonl"));
      TestConfigs.writeUsers(config.auth().usersFile());
      ServiceCatalogue catalogue = new ServiceCatalogue(List.of(
          new ServiceDefinition("chatty", UNIT, "Chatty", "prints", Permission.ALL, true, true, false),
          new ServiceDefinition(statsService, statsService + ".service", "Big", "history", Permission.ALL, true, true,
              false)));
      try {
        Application app = Application.deploy(vertx, config, catalogue, new JournalCommand(prefix)).await();
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", app.httpPort(), TestConfigs.operatorBasic())) {
          md.append(tail(http, prefix, group));
          md.append(statsRoute(vertx, http, dir.resolve("servicemanager.db"), statsService));
        }
        md.append(follow(sandbox, app.httpPort(), prefix, group));
      } finally {
        vertx.close().await();
      }
    }
    return md.toString();
  }

  private static String tail(KeepAliveHttp http, List<String> prefix, String group) throws Exception {
    String load = BenchMain.loadAverage();
    List<String> bare = new ArrayList<>(prefix);
    // The argv JournalCommand.tail builds for lines=100.
    bare.addAll(List.of("journalctl", "--output=json", "--no-pager", "--reverse", "--lines=100",
        "_SYSTEMD_CGROUP=" + group));
    List<Long> rest = new ArrayList<>();
    List<Long> raw = new ArrayList<>();
    List<Long> health = new ArrayList<>();
    for (int i = 0; i < InsightBench.WARMUP + InsightBench.ROUNDS; i++) {
      long a = System.nanoTime();
      KeepAliveHttp.Response r = http.get("/api/services/chatty/logs?lines=100");
      long b = System.nanoTime();
      int lines = runAll(bare).size();
      long c = System.nanoTime();
      KeepAliveHttp.Response h = http.get("/api/health");
      long d = System.nanoTime();
      if (r.status() != 200 || new JsonObject(r.body()).getJsonArray("entries").size() != 100) {
        throw new IllegalStateException("GET logs answered " + r.status() + ": " + r.body());
      }
      if (lines != 100 || h.status() != 200) {
        throw new IllegalStateException("bare journalctl printed " + lines + " lines; health " + h.status());
      }
      if (i >= InsightBench.WARMUP) {
        rest.add(b - a);
        raw.add(c - b);
        health.add(d - c);
      }
    }
    Stats s = Stats.of(rest);
    return f("### Journal: the first 100 lines of a unit that printed %,d%n%n", BULK)
        + f("Sandbox with its own journald; %d rounds after %d warm-up, alternating; load before: %s.%n%n",
            InsightBench.ROUNDS, InsightBench.WARMUP, load)
        + "| series | n | p50 | p95 | max |\n|---|---|---|---|---|\n"
        + row("`GET /api/services/chatty/logs?lines=100` → 200, 100 entries (keep-alive socket)", s)
        + row("bare: `nsenter … journalctl --output=json --reverse --lines=100 _SYSTEMD_CGROUP=…`, the same argv,"
            + " started and read to the end from the benchmark", Stats.of(raw))
        + row("for scale: `GET /api/health` (a bare HTTP round trip)", Stats.of(health))
        + f("%nTarget ≤ 150 ms p50: %s.%n%n", s.p50() <= 150 ? "met" : f("**not met** (by %.1f ms)", s.p50() - 150));
  }

  /** The statistics route, when this build's openapi.yaml declares it; else says so. */
  private static String statsRoute(Vertx vertx, KeepAliveHttp http, Path database, String service) throws Exception {
    String document = http.get("/api/openapi.yaml").body();
    if (!document.contains(STATS_ROUTE + ":")) {
      return f("### Statistics over REST%n%nNot measured: this build has no `GET %s` (its openapi.yaml does not"
          + " declare it); the store call above is what the route will run.%n%n", STATS_ROUTE);
    }
    // The store call beside the route, on a store of the benchmark's own over the same file (WAL: readers share it).
    InsightStore store = InsightStore.open(vertx, database).await();
    TransitionStore transitions = new TransitionStore(store);
    String load = BenchMain.loadAverage();
    String uri = "/api/services/" + service + "/stats?window=30d";
    List<Long> stats = new ArrayList<>();
    List<Long> direct = new ArrayList<>();
    List<Long> health = new ArrayList<>();
    try {
      for (int i = 0; i < InsightBench.WARMUP + InsightBench.ROUNDS; i++) {
        long a = System.nanoTime();
        KeepAliveHttp.Response r = http.get(uri);
        long b = System.nanoTime();
        Instant now = Instant.now();
        transitions.statistics(service, now.minus(Duration.ofDays(30)), now).await();
        long c = System.nanoTime();
        KeepAliveHttp.Response h = http.get("/api/health");
        long d = System.nanoTime();
        if (r.status() != 200 || h.status() != 200) {
          throw new IllegalStateException("GET " + uri + " answered " + r.status() + ": " + r.body());
        }
        if (i >= InsightBench.WARMUP) {
          stats.add(b - a);
          direct.add(c - b);
          health.add(d - c);
        }
      }
    } finally {
      store.close().await();
    }
    Stats s = Stats.of(stats);
    return f("### Statistics over REST, the same database%n%n%d rounds after %d warm-up, alternating; load before:"
            + " %s.%n%n", InsightBench.ROUNDS, InsightBench.WARMUP, load)
        + "| series | n | p50 | p95 | max |\n|---|---|---|---|---|\n"
        + row("`GET " + uri + "` → 200 (keep-alive socket)", s)
        + row("`TransitionStore.statistics` over the same file, the same 30 days (the store call of the first table)",
            Stats.of(direct))
        + row("for scale: `GET /api/health`", Stats.of(health))
        + f("%nTarget ≤ 50 ms p50: %s.%n%n", s.p50() <= 50 ? "met" : f("**not met** (by %.1f ms)", s.p50() - 50));
  }

  /**
   * One line at a time (SIGUSR1 to the unit), each awaited by a raw {@code journalctl -f} of the
   * benchmark's own and by a /ws follower; the difference of their arrival times per line.
   */
  private static String follow(SystemdSandbox sandbox, int port, List<String> prefix, String group) throws Exception {
    Map<String, Long> rawAt = new ConcurrentHashMap<>();
    Map<String, Long> wsAt = new ConcurrentHashMap<>();
    Map<String, CompletableFuture<Void>> bothSeen = new ConcurrentHashMap<>();
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(List.of("journalctl", "--output=json", "--no-pager", "--follow", "--lines=0",
        "_SYSTEMD_CGROUP=" + group));
    Process raw = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<Void> tailFrame = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          long now = System.nanoTime();
          Object message = new JsonObject(line).getValue("MESSAGE");
          if (message instanceof String m && m.startsWith("live-")) {
            rawAt.put(m, now);
            seen(bothSeen, m, wsAt);
          }
        }
      } catch (Exception e) {
        System.err.println("bench: raw follower: " + e);
      }
    }, "raw-journal-follower");
    reader.setDaemon(true);
    reader.start();
    String load = BenchMain.loadAverage();
    List<Long> diffs = new ArrayList<>();
    List<Long> rawFromSignal = new ArrayList<>();
    List<Long> wsFromSignal = new ArrayList<>();
    int missed = 0;
    try (TimedWsClient ws = TimedWsClient.connect(port, (now, frame) -> {
      if (!"log".equals(frame.getString("type")) || !"chatty".equals(frame.getString("service"))) {
        return;
      }
      tailFrame.complete(null);
      JsonArray entries = frame.getJsonArray("entries");
      for (int i = 0; i < entries.size(); i++) {
        String m = entries.getJsonObject(i).getString("message");
        if (m != null && m.startsWith("live-")) {
          wsAt.put(m, now);
          seen(bothSeen, m, rawAt);
        }
      }
    })) {
      ws.send(new JsonObject().put("type", "logs").put("service", "chatty").put("follow", true));
      tailFrame.get(30, TimeUnit.SECONDS);
      // Both followers have started reading before the first line: a second for journalctl to reach the end.
      Thread.sleep(1_000);
      String pid = sandbox.property(UNIT, "MainPID");
      for (int i = 1; i <= FOLLOW_WARMUP + FOLLOW_LINES; i++) {
        String message = "live-" + i;
        CompletableFuture<Void> both = bothSeen.computeIfAbsent(message, k -> new CompletableFuture<>());
        seen(bothSeen, message, rawAt);
        long t0 = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-USR1", pid).start();
        kill.waitFor(10, TimeUnit.SECONDS);
        try {
          both.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          if (++missed > 5) {
            throw new IllegalStateException("lines missed; the raw follower saw " + rawAt.keySet() + ", /ws saw "
                + wsAt.keySet());
          }
          continue;
        }
        if (i > FOLLOW_WARMUP) {
          diffs.add(wsAt.get(message) - rawAt.get(message));
          rawFromSignal.add(rawAt.get(message) - t0);
          wsFromSignal.add(wsAt.get(message) - t0);
        }
        Thread.sleep(PAUSE_MS);
      }
    } finally {
      raw.descendants().forEach(ProcessHandle::destroyForcibly);
      raw.destroyForcibly();
    }
    Stats d = Stats.of(diffs);
    return f("### Journal: a new line's way to a /ws follower%n%n")
        + f("%d lines (after %d warm-up), one per SIGUSR1 to the unit's shell, %d ms apart; each awaited by a raw"
            + " `journalctl --follow --output=json` run by the benchmark with the product's argv, and by a /ws client"
            + " following the unit (`{\"type\":\"logs\",\"follow\":true}`), stamped on arrival. %d lines missed."
            + " Load before: %s.%n%n", FOLLOW_LINES, FOLLOW_WARMUP, PAUSE_MS, missed, load)
        + "| series | n | p50 | p95 | max |\n|---|---|---|---|---|\n"
        + row("/ws `log` frame − raw `journalctl -f` line, per line", d)
        + row("↳ raw `journalctl -f` prints it, after `kill -USR1` was started", Stats.of(rawFromSignal))
        + row("↳ /ws frame arrives, after `kill -USR1` was started", Stats.of(wsFromSignal))
        + f("%nTarget ≤ 50 ms p50: %s.%n%n", d.p50() <= 50 ? "met" : f("**not met** (by %.1f ms)", d.p50() - 50));
  }

  /** Completes the line's future once both followers have it. */
  private static void seen(Map<String, CompletableFuture<Void>> bothSeen, String message, Map<String, Long> other) {
    if (other.containsKey(message)) {
      bothSeen.computeIfAbsent(message, k -> new CompletableFuture<>()).complete(null);
    }
  }

  /** Waits until the group's newest journal line is {@code message}. */
  private static void awaitNewest(List<String> prefix, String group, String message) throws Exception {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(List.of("journalctl", "--output=cat", "--no-pager", "--reverse", "--lines=1", "_SYSTEMD_CGROUP=" + group));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<String> out = runAll(argv);
      if (!out.isEmpty() && out.get(0).equals(message)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the unit's journal never reached " + message);
  }

  /** Runs a command to its end; its stdout lines. */
  private static List<String> runAll(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    List<String> out = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.add(line);
      }
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + argv);
    }
    return out;
  }
}
