package io.servicemanager.bench;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;

/**
 * Cold sync: from {@code Application.deploy} until the status verticle has published a real state
 * (not "checking") for every one of N template instances, counted by an event-bus consumer on
 * {@code servicemanager.status}; and until the views are complete (the status verticle publishes
 * states first, then the timestamps and PIDs it reads after them). Each run is a fresh Vert.x and fresh bus connections against the same
 * sandbox; the last run stays up for the idle measurement.
 */
final class ColdSyncBench {
  private static final long SYNC_TIMEOUT_S = 60;
  private static final long START_TIMEOUT_S = 180;
  /** The details of 1 000 running units take a second or so after their states: wait well past that. */
  private static final long QUIET_S = 3;

  /**
   * @param syncMs deploy → the last unit's state published
   * @param firstMs deploy → the first unit's state published (the read is done; publishing begins)
   * @param deployMs deploy → its future completed
   * @param completeMs deploy → the last status event before 3 s of silence: every view complete,
   *     with the timestamps and PIDs the status verticle reads after the states
   * @param events status events published in all
   */
  record Run(double syncMs, double firstMs, double deployMs, double completeMs, int events,
      Map<String, Integer> statuses) {}

  record Result(boolean running, int units, double startUnitsMs, List<Run> runs, double heapBeforeMiB,
      IdleBench.Result idle, String idleError, SyncBreakdown.Result breakdown) {

    double medianSyncMs() {
      return Stats.median(runs.stream().mapToDouble(Run::syncMs).toArray());
    }
  }

  private final BenchConfig config;

  ColdSyncBench(BenchConfig config) {
    this.config = config;
  }

  Result run(boolean running, boolean idle) throws Exception {
    List<String> units = new ArrayList<>();
    for (int i = 1; i <= config.units(); i++) {
      units.add("bench@" + i + ".service");
    }
    ServiceCatalogue catalogue = catalogue(units);
    try (SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/bench@.service")
        .stopTimeout(Duration.ofSeconds(60)).closeOnShutdown().start();
        AppFiles files = AppFiles.create(catalogue)) {
      double startMs = Double.NaN;
      if (running) {
        startMs = startAll(sandbox, units);
      } else {
        int active = activeCount(sandbox);
        if (active != 0) {
          throw new IllegalStateException(active + " bench@ units active in a fresh sandbox");
        }
      }
      double heapBefore = ProcessStats.heapAfterGcMiB();
      List<Run> runs = new ArrayList<>();
      IdleBench.Result idleResult = null;
      String idleError = null;
      for (int r = 0; r < config.syncRuns(); r++) {
        Vertx vertx = Vertx.vertx();
        try {
          Map<String, String> statuses = new ConcurrentHashMap<>();
          CompletableFuture<Long> allRead = new CompletableFuture<>();
          AtomicLong first = new AtomicLong();
          AtomicLong last = new AtomicLong();
          AtomicInteger events = new AtomicInteger();
          vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> {
            long now = System.nanoTime();
            String status = m.body().getString("status");
            last.set(now);
            events.incrementAndGet();
            if (status != null && !"checking".equals(status)) {
              first.compareAndSet(0, now);
              statuses.put(m.body().getString("name"), status);
              if (statuses.size() == units.size()) {
                allRead.complete(now);
              }
            }
          }).completion().await();
          long t0 = System.nanoTime();
          Application app = Application.deploy(vertx, files.config(sandbox.busAddress()), catalogue)
              .await();
          long deployed = System.nanoTime();
          long synced = allRead.get(SYNC_TIMEOUT_S, TimeUnit.SECONDS);
          long quietDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SYNC_TIMEOUT_S);
          while (System.nanoTime() - last.get() < TimeUnit.SECONDS.toNanos(QUIET_S)
              && System.nanoTime() < quietDeadline) {
            Thread.sleep(100);
          }
          Map<String, Integer> counts = new TreeMap<>();
          statuses.values().forEach(s -> counts.merge(s, 1, Integer::sum));
          runs.add(new Run(Stats.ms(synced - t0), Stats.ms(first.get() - t0), Stats.ms(deployed - t0),
              Stats.ms(last.get() - t0), events.get(), counts));
          System.err.printf("bench: cold sync (%s) run %d: %.1f ms %s%n", running ? "running" : "inactive",
              r + 1, Stats.ms(synced - t0), counts);
          if (idle && r == config.syncRuns() - 1 && config.idleSeconds() > 0) {
            System.err.printf("bench: idle window of %d s with %d units watched…%n", config.idleSeconds(),
                units.size());
            try {
              idleResult = IdleBench.measure(sandbox, app, config.idleSeconds());
            } catch (Exception e) {
              e.printStackTrace();
              idleError = e.toString();
            }
          }
        } finally {
          vertx.close().await();
        }
      }
      SyncBreakdown.Result breakdown = SyncBreakdown.measure(sandbox.busAddress(), units, 3);
      return new Result(running, units.size(), startMs, runs, heapBefore, idleResult, idleError, breakdown);
    }
  }

  /**
   * StartUnit for every instance, pipelined on a connection of our own (one {@code systemctl start} of
   * 1 000 units can outlast systemctl's 30 s on a busy machine), then wait until all are active.
   */
  static double startAll(SystemdSandbox sandbox, List<String> units) throws Exception {
    long t = System.nanoTime();
    DBusConnection bus = PushLatencyBench.connect(sandbox.busAddress());
    try {
      Manager manager = bus.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
      // Batches of 100: a flood of 1 000 calls makes the last replies outlast dbus-java's reply timeout
      // while systemd forks the first ones on a busy machine.
      for (int from = 0; from < units.size(); from += 100) {
        List<DBusAsyncReply<?>> jobs = new ArrayList<>();
        for (String unit : units.subList(from, Math.min(units.size(), from + 100))) {
          jobs.add(bus.callMethodAsync(manager, "StartUnit", unit, "replace"));
        }
        for (DBusAsyncReply<?> job : jobs) {
          job.getCall().getReply(TimeUnit.SECONDS.toMillis(START_TIMEOUT_S)); // waits, unlike job.getReply()
          job.getReply(); // throws systemd's error, if any
        }
      }
      long deadline = t + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
      while (true) {
        long active = manager.ListUnitsByNames(units).stream().filter(u -> "active".equals(u.activeState)).count();
        if (active == units.size()) {
          return Stats.ms(System.nanoTime() - t);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + active + " of " + units.size() + " bench@ units active after "
              + START_TIMEOUT_S + " s");
        }
        Thread.sleep(100);
      }
    } finally {
      bus.disconnect();
    }
  }

  private static int activeCount(SystemdSandbox sandbox) {
    return (int) sandbox.systemctlOk("list-units", "--state=active", "--no-legend", "--plain", "bench@*")
        .lines().filter(l -> !l.isBlank()).count();
  }

  private static ServiceCatalogue catalogue(List<String> units) {
    List<ServiceDefinition> services = new ArrayList<>();
    for (String unit : units) {
      String name = unit.substring(0, unit.length() - ".service".length());
      services.add(new ServiceDefinition(name, unit, name, "benchmark instance", Permission.ALL, true));
    }
    return new ServiceCatalogue(services);
  }
}
