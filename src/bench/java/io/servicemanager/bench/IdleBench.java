package io.servicemanager.bench;

import io.servicemanager.Application;
import io.servicemanager.sandbox.SystemdSandbox;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The manager at rest, following every unit, with a /ws client (a dashboard) connected: CPU used by
 * this JVM, and by the sandbox's systemd and dbus-daemon, and every message on the bus during the window.
 */
final class IdleBench {
  /** Lets systemd unload units our reads loaded, and the JIT and GC calm down, before the window. */
  private static final long SETTLE_MS = 10_000;

  record Result(int seconds, double jvmCpuMs, double systemdCpuMs, double busDaemonCpuMs, long gcs,
      int busMessages, int managerMessages, Map<String, Integer> byKind, Set<String> managerNames,
      double heapMiB, double rssMiB, Map<String, Double> threadCpuMs, int snapshotBytes) {

    double percentOfCore() {
      return jvmCpuMs / (seconds * 1000.0) * 100.0;
    }
  }

  private IdleBench() {}

  static Result measure(SystemdSandbox sandbox, Application app, int seconds) throws Exception {
    String address = sandbox.busAddress();
    CountDownLatch snapshot = new CountDownLatch(1);
    AtomicInteger snapshotBytes = new AtomicInteger();
    try (TimedWsClient ws = TimedWsClient.connect(app.httpPort(), (now, m) -> {
      if ("snapshot".equals(m.getString("type"))) {
        snapshotBytes.set(m.encode().length());
        snapshot.countDown();
      }
    })) {
      if (!snapshot.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("idle: no /ws snapshot within 10 s");
      }
      Set<String> manager = BusMonitor.connectionsOf(address, ProcessHandle.current().pid());
      long systemdPid = sandbox.managerPid();
      long busPid = sandbox.busDaemonPid();
      ProcessStats.heapAfterGcMiB();
      Thread.sleep(SETTLE_MS);
      try (BusMonitor monitor = BusMonitor.start(address)) {
        monitor.awaitReady(Duration.ofSeconds(10));
        Thread.sleep(500);
        long from = micros();
        long cpu0 = ProcessStats.jvmCpuNanos();
        long systemd0 = ProcessStats.cpuMillis(systemdPid);
        long bus0 = ProcessStats.cpuMillis(busPid);
        long gc0 = ProcessStats.gcCount();
        ThreadCpu threads = ThreadCpu.start();
        Thread.sleep(seconds * 1000L);
        long cpu1 = ProcessStats.jvmCpuNanos();
        long systemd1 = ProcessStats.cpuMillis(systemdPid);
        long bus1 = ProcessStats.cpuMillis(busPid);
        long gc1 = ProcessStats.gcCount();
        Map<String, Double> threadCpu = threads.since();
        long to = micros();
        List<JsonObject> messages = monitor.stop(from, to);
        Map<String, Integer> byKind = new TreeMap<>();
        int mine = 0;
        for (JsonObject m : messages) {
          byKind.merge(m.getString("type") + " " + m.getString("member", "") + " " + m.getString("sender", "?")
              + "→" + m.getString("destination", "*"), 1, Integer::sum);
          boolean broadcastFromSystemd = m.getString("destination") == null && "signal".equals(m.getString("type"));
          if (manager.contains(m.getString("sender")) || manager.contains(m.getString("destination"))
              || broadcastFromSystemd) {
            mine++;
          }
        }
        return new Result(seconds, (cpu1 - cpu0) / 1e6, systemd1 - systemd0, bus1 - bus0, gc1 - gc0,
            messages.size(), mine, byKind, manager, ProcessStats.heapAfterGcMiB(), ProcessStats.rssMiB(),
            threadCpu, snapshotBytes.get());
      }
    }
  }

  static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
