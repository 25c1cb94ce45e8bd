package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.dbus.Manager;
import io.servicemanager.testing.TestConfigs;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Action overhead of several builds side by side ({@code BENCH_ACTION_BASE=<rev> scripts/bench-actions}):
 * each build's packaged jar runs as deployed ({@code java @conf/jvm.options -jar}) on the same sandbox
 * and unit; every round makes one raw dbus-java restart, then, in an order that alternates from round
 * to round, each build's REST restart and its bare {@code GET /api/health}, all on the same machine
 * at the same minute. Overhead, same job, as {@link ActionOverheadBench} defines it; the servers' CPU
 * over the measured rounds from /proc (each server sees every round's three restarts).
 */
public final class ActionBuildsBench {
  private static final String UNIT = "act.service";

  private ActionBuildsBench() {}

  /** One build: its server process, its connection, its series. */
  private static final class Side {
    final String name;
    final Process process;
    final int port;
    KeepAliveHttp http;
    final List<Long> rest = new ArrayList<>();
    final List<Long> perRound = new ArrayList<>();
    final List<Long> sameJob = new ArrayList<>();
    final List<Long> health = new ArrayList<>();
    long cpuBefore;
    long cpuAfter;

    Side(String name, Process process, int port) {
      this.name = name;
      this.process = process;
      this.port = port;
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ACTION_ROUNDS", "100"));
    int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_ACTION_WARMUP", "30"));
    long pauseMs = Long.parseLong(System.getenv().getOrDefault("BENCH_ACTION_PAUSE_MS", "100"));
    int firstPort = Integer.parseInt(System.getenv().getOrDefault("BENCH_ACTION_PORT", "23100"));
    // Each server runs in a folder of its own: an options file is named from here.
    List<String> jvm = java.util.Arrays.stream(System.getenv().getOrDefault("BENCH_SERVER_JVM", "@conf/jvm.options")
        .split("\\s+")).map(o -> o.startsWith("@") ? "@" + Path.of(o.substring(1)).toAbsolutePath() : o).toList();
    Map<String, Path> builds = new LinkedHashMap<>();
    for (String spec : System.getenv().getOrDefault("BENCH_ACTION_BUILDS", "new=target/service-manager.jar").split(",")) {
      String[] kv = spec.split("=", 2);
      builds.put(kv[0], Path.of(kv[1]).toAbsolutePath());
    }
    Path dir = Files.createTempDirectory("sm-act-builds-");
    String loadBefore = BenchMain.loadAverage();
    long wallStart = System.nanoTime();
    try (SystemdSandbox sandbox = SystemdSandbox.start(Map.of(UNIT,
        "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n"))) {
      sandbox.systemctlOk("start", UNIT);
      List<Side> sides = new ArrayList<>();
      DBusConnection raw = DBusConnectionBuilder.forAddress(sandbox.busAddress()).withShared(false).build();
      try {
        int port = firstPort;
        for (Map.Entry<String, Path> build : builds.entrySet()) {
          sides.add(start(dir.resolve(build.getKey()), build.getKey(), build.getValue(), jvm, sandbox.busAddress(), port++));
        }
        for (Side side : sides) {
          awaitHealthy(side);
          side.http = new KeepAliveHttp("127.0.0.1", side.port, TestConfigs.operatorBasic());
        }
        Manager manager = raw.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();
        Map<String, String> early = new ConcurrentHashMap<>();
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

        List<Long> rawTimes = new ArrayList<>();
        List<Long> callToQueued = new ArrayList<>();
        // Same-job overhead needs the raw calls' median, known only at the end: keep REST − own job time.
        Map<Side, List<Long>> restMinusJob = new LinkedHashMap<>();
        sides.forEach(s -> restMinusJob.put(s, new ArrayList<>()));
        for (int i = 0; i < warmup + rounds; i++) {
          if (i == warmup) {
            for (Side side : sides) {
              side.cpuBefore = ProcessStats.cpuMillis(side.process.pid());
            }
          }
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
          List<Side> order = new ArrayList<>(sides);
          if (i % 2 == 1) {
            java.util.Collections.reverse(order);
          }
          for (Side side : order) {
            Thread.sleep(pauseMs);
            Set<String> before = Set.copyOf(queuedAt.keySet());
            long t1 = System.nanoTime();
            KeepAliveHttp.Response r = side.http.post("/api/services/act/restart");
            long restNs = System.nanoTime() - t1;
            if (r.status() != 200) {
              throw new IllegalStateException(side.name + ": REST restart answered " + r.status() + ": " + r.body());
            }
            String restJob = ActionOverheadBench.awaitNewJob(queuedAt, removedAt, before);
            long restJobNs = removedAt.get(restJob) - queuedAt.get(restJob);
            Thread.sleep(pauseMs);
            long t2 = System.nanoTime();
            KeepAliveHttp.Response health = side.http.get("/api/health");
            long healthNs = System.nanoTime() - t2;
            if (health.status() != 200) {
              throw new IllegalStateException(side.name + ": GET /api/health answered " + health.status());
            }
            if (i >= warmup) {
              side.rest.add(restNs);
              side.perRound.add(restNs - rawNs);
              restMinusJob.get(side).add(restNs - restJobNs);
              side.health.add(healthNs);
            }
          }
          if (i >= warmup) {
            rawTimes.add(rawNs);
            callToQueued.add(rawQueuedNs);
          }
        }
        for (Side side : sides) {
          side.cpuAfter = ProcessStats.cpuMillis(side.process.pid());
          side.http.close();
        }
        Stats queued = Stats.of(callToQueued);
        long queuedP50Ns = Math.round(queued.p50() * 1e6);
        for (Side side : sides) {
          restMinusJob.get(side).forEach(ns -> side.sameJob.add(ns - queuedP50Ns));
        }
        String md = report(sides, rounds, warmup, Stats.of(rawTimes), queued, loadBefore, BenchMain.loadAverage(),
            (System.nanoTime() - wallStart) / 1_000_000_000);
        System.out.println(md);
        Path out = Path.of(System.getenv().getOrDefault("BENCH_OUTPUT", "target/bench-actions-builds.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
      } finally {
        raw.disconnect();
        for (Side side : sides) {
          side.process.destroy();
          if (!side.process.waitFor(20, TimeUnit.SECONDS)) {
            side.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
    }
    System.exit(0);
  }

  private static String report(List<Side> sides, int rounds, int warmup, Stats raw, Stats queued, String loadBefore,
      String loadAfter, long wallSeconds) {
    StringBuilder md = new StringBuilder();
    md.append("### Action overhead, builds side by side (").append(java.time.LocalDate.now()).append(", ")
        .append(rounds).append(" rounds after ").append(warmup).append(" warm-up; order alternating)\n\n")
        .append("Before: ").append(loadBefore).append(". After: ").append(loadAfter).append(". ")
        .append(wallSeconds).append(" s.\n\n")
        .append("| series | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n")
        .append(ActionOverheadBench.row("raw: RestartUnit → JobRemoved (systemd's job time)", raw))
        .append(ActionOverheadBench.row("raw: RestartUnit call → JobNew seen", queued));
    for (Side side : sides) {
      md.append(ActionOverheadBench.row(side.name + ": POST /api/services/act/restart → 200", Stats.of(side.rest)))
          .append(ActionOverheadBench.row(side.name + ": overhead, per round (REST − raw)", Stats.of(side.perRound)))
          .append(ActionOverheadBench.row(side.name + ": **overhead, same job**", Stats.of(side.sameJob)))
          .append(ActionOverheadBench.row(side.name + ": GET /api/health → 200 (bare HTTP)", Stats.of(side.health)));
    }
    md.append("\n| build | same job p50 | same job p99 | health p50 | same job p50 − health p50 | server CPU per round |\n"
        + "|---|---|---|---|---|---|\n");
    for (Side side : sides) {
      Stats same = Stats.of(side.sameJob);
      Stats health = Stats.of(side.health);
      md.append(String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1f ms |%n", side.name,
          same.p50(), same.p99(), health.p50(), same.p50() - health.p50(),
          (side.cpuAfter - side.cpuBefore) / (double) rounds));
    }
    if (sides.size() == 2) {
      Stats a = Stats.of(sides.get(0).sameJob);
      Stats b = Stats.of(sides.get(1).sameJob);
      md.append(String.format(Locale.ROOT, "%nSame-job overhead %s / %s: p50 %.2f, p99 %.2f.%n", sides.get(1).name,
          sides.get(0).name, b.p50() / a.p50(), b.p99() / a.p99()));
    }
    return md.toString();
  }

  private static Side start(Path dir, String name, Path jar, List<String> jvm, String bus, int port) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("services.yaml"), "version: 1\nservices:\n  act:\n    display_name: \"Act\"\n"
        + "    description: \"action bench\"\n    permissions_required: all\n    status_check_allowed: true\n");
    Files.writeString(dir.resolve("config.yaml"), "http:\n  host: 127.0.0.1\n  port: " + port
        + "\nsystemd:\n  bus: \"" + bus + "\"\nservices_file: services.yaml\n"
        + "history_file: history.jsonl\ninsight:\n  database: servicemanager.db\nconfig_history:\n  dir: config-history\n"
        + "auth:\n  users_file: users.yaml\n  secret_file: secret.key\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-jar", jar.toString(), "--config", dir.resolve("config.yaml").toString()));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("manager.log").toFile()).start();
    return new Side(name, process, port);
  }

  private static void awaitHealthy(Side side) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!side.process.isAlive()) {
        throw new IllegalStateException(side.name + ": the manager exited with " + side.process.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + side.port + "/api/health").toURL()
            .openConnection();
        c.setConnectTimeout(1000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(side.name + ": not healthy within 180 s");
  }
}
