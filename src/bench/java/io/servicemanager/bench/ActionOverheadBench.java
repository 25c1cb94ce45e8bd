package io.servicemanager.bench;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;

/**
 * Action overhead (issue 3): a REST restart's round trip minus systemd's own job time for the same
 * restart, measured in the same run by a raw dbus-java client (RestartUnit → its JobRemoved).
 * Rounds alternate raw and REST so both see the same machine. The unit is a oneshot with
 * RemainAfterExit, whose "done" is authoritative, so no settle window is involved; the REST answer
 * includes the history append and its fsync. Run: {@code scripts/bench-actions}.
 */
public final class ActionOverheadBench {
  private static final String UNIT = "act.service";

  private ActionOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ACTION_ROUNDS", "100"));
    int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_ACTION_WARMUP", "30"));
    // Each restart sends the manager a burst of signals (its status and action connections both
    // decode them); a pause lets that settle so neither series pays for the other's aftermath.
    long pauseMs = Long.parseLong(System.getenv().getOrDefault("BENCH_ACTION_PAUSE_MS", "100"));
    Path dir = Files.createTempDirectory("sm-action-bench-");
    try (SystemdSandbox sandbox = SystemdSandbox.start(Map.of(UNIT,
        "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n"))) {
      sandbox.systemctlOk("start", UNIT);
      Vertx vertx = Vertx.vertx();
      DBusConnection raw = DBusConnectionBuilder.forAddress(sandbox.busAddress()).withShared(false).build();
      try {
        Manager manager = raw.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();
        Map<String, String> early = new ConcurrentHashMap<>();
        // When the raw subscriber saw each job queued and removed, whoever asked for it: for a REST
        // restart, that job's own time in systemd, without the spread of the job times in between.
        Map<String, Long> queuedAt = new ConcurrentHashMap<>();
        Map<String, Long> removedAt = new ConcurrentHashMap<>();
        raw.addSigHandler(ManagerJobs.JobNew.class, s -> queuedAt.put(s.getJob().getPath(), System.nanoTime()));
        raw.addSigHandler(Manager.JobRemoved.class, s -> {
          removedAt.put(s.getJob().getPath(), System.nanoTime());
          CompletableFuture<String> f = jobs.remove(s.getJob().getPath());
          if (f != null) {
            f.complete(s.getResult());
          } else {
            early.put(s.getJob().getPath(), s.getResult());
          }
        });
        manager.Subscribe();

        AppConfig config = new AppConfig("127.0.0.1", 0, sandbox.busAddress(), dir.resolve("none.yaml"),
            dir.resolve("history.jsonl"));
        io.servicemanager.testing.TestConfigs.writeUsers(config.auth().usersFile());
        Application app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
            new ServiceDefinition("act", UNIT, "Act", "oneshot", Permission.ALL, true)))).await();
        KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", app.httpPort(),
            io.servicemanager.testing.TestConfigs.operatorBasic());

        List<Long> rawTimes = new ArrayList<>();
        List<Long> floorTimes = new ArrayList<>();
        List<Long> httpOnly = new ArrayList<>();
        List<Long> restTimes = new ArrayList<>();
        List<Long> diffs = new ArrayList<>();
        List<Long> callToQueued = new ArrayList<>();
        List<Long> restJobTimes = new ArrayList<>();
        List<Long> restMinusJob = new ArrayList<>();
        for (int i = 0; i < warmup + rounds; i++) {
          Thread.sleep(pauseMs);
          long t0 = System.nanoTime();
          String job = manager.RestartUnit(UNIT, "replace").getPath();
          CompletableFuture<String> done = new CompletableFuture<>();
          jobs.put(job, done);
          String already = early.remove(job);
          if (already != null) {
            jobs.remove(job);
            done.complete(already);
          }
          String result = done.get(30, TimeUnit.SECONDS);
          long rawNs = System.nanoTime() - t0;
          if (!"done".equals(result)) {
            throw new IllegalStateException("raw restart ended " + result);
          }
          long rawQueuedNs = queuedAt.get(job) - t0;
          Thread.sleep(pauseMs);
          Set<String> before = Set.copyOf(queuedAt.keySet());
          long t1 = System.nanoTime();
          KeepAliveHttp.Response r = http.post("/api/services/act/restart");
          long restNs = System.nanoTime() - t1;
          if (r.status() != 200) {
            throw new IllegalStateException("REST restart answered " + r.status() + ": " + r.body());
          }
          String restJob = awaitNewJob(queuedAt, removedAt, before);
          long restJobNs = removedAt.get(restJob) - queuedAt.get(restJob);
          Thread.sleep(pauseMs);
          long t2 = System.nanoTime();
          KeepAliveHttp.Response health = http.get("/api/health");
          long floorNs = System.nanoTime() - t2;
          if (health.status() != 200) {
            throw new IllegalStateException("GET /api/health answered " + health.status() + ": " + health.body());
          }
          Thread.sleep(pauseMs);
          long t3 = System.nanoTime();
          KeepAliveHttp.Response doc = http.get("/api/openapi.yaml");
          long httpNs = System.nanoTime() - t3;
          if (doc.status() != 200) {
            throw new IllegalStateException("GET /api/openapi.yaml answered " + doc.status());
          }
          if (i >= warmup) {
            httpOnly.add(httpNs);
            floorTimes.add(floorNs);
            rawTimes.add(rawNs);
            restTimes.add(restNs);
            diffs.add(restNs - rawNs);
            callToQueued.add(rawQueuedNs);
            restJobTimes.add(restJobNs);
            restMinusJob.add(restNs - restJobNs);
          }
        }
        http.close();
        Stats rawStats = Stats.of(rawTimes);
        Stats restStats = Stats.of(restTimes);
        Stats diffStats = Stats.of(diffs);
        Stats queued = Stats.of(callToQueued);
        // A raw client's restart is its call until systemd queues the job plus the job's time; the
        // REST restart's own job time is known, the call's part is the raw calls' median.
        long queuedP50Ns = Math.round(queued.p50() * 1e6);
        List<Long> sameJob = restMinusJob.stream().map(ns -> ns - queuedP50Ns).toList();
        Stats sameJobStats = Stats.of(sameJob);
        StringBuilder md = new StringBuilder();
        md.append("### Action overhead: REST restart − raw dbus-java RestartUnit→JobRemoved (")
            .append(rounds).append(" alternating rounds after ").append(warmup).append(" warm-up)\n\n")
            .append("| series | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n")
            .append(row("raw: RestartUnit → JobRemoved (systemd's job time)", rawStats))
            .append(row("REST: POST /api/services/act/restart → 200", restStats))
            .append(row("overhead, per round (REST − raw)", diffStats))
            .append(row("↳ raw: RestartUnit call → JobNew seen", queued))
            .append(row("↳ REST restart's own job: JobNew → JobRemoved, as the raw subscriber saw them", Stats.of(restJobTimes)))
            .append(row("overhead, same job (REST − its own job time − raw call → JobNew p50)", sameJobStats))
            .append(row("for scale: GET /api/health → 200 (HTTP only: the bus state the HTTP verticle follows)", Stats.of(floorTimes)))
            .append(row("for scale: GET /api/openapi.yaml → 200 (HTTP only: a document held in memory)", Stats.of(httpOnly)))
            .append(String.format(Locale.ROOT, "%nOverhead p50 %.2f ms per round, %.2f ms same job (target ≤ 3 ms): %s. "
                    + "Difference of the p50s: %.2f ms.%n",
                diffStats.p50(), sameJobStats.p50(), diffStats.p50() <= 3.0 && sameJobStats.p50() <= 3.0 ? "met" : "**not met**",
                restStats.p50() - rawStats.p50()));
        System.out.println(md);
        Path out = Path.of("target", "bench-actions.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
      } finally {
        raw.disconnect();
        vertx.close().await();
      }
    }
    System.exit(0);
  }

  /** The one job queued since {@code before}, once the raw subscriber has also seen it removed. */
  static String awaitNewJob(Map<String, Long> queuedAt, Map<String, Long> removedAt, Set<String> before)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      List<String> fresh = queuedAt.keySet().stream().filter(j -> !before.contains(j)).toList();
      if (fresh.size() > 1) {
        throw new IllegalStateException("more than one job queued during one REST restart: " + fresh);
      }
      if (fresh.size() == 1 && removedAt.containsKey(fresh.get(0))) {
        return fresh.get(0);
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("the raw subscriber never saw the REST restart's job queued and removed");
  }

  static String row(String name, Stats s) {
    return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", name, s.n(), s.p50(), s.p90(), s.p99(), s.max());
  }
}
