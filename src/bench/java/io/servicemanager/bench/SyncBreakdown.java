package io.servicemanager.bench;

import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;

/**
 * Where a cold sync's time goes, phase by phase, with the manager's own {@link DbusSystemdClient}
 * (connect: Hello, match rules, Subscribe; readUnits: ListUnitsByNames, then pipelined Gets) and a
 * bare ListUnitsByNames on a raw connection for comparison. Runs with no manager deployed.
 */
final class SyncBreakdown {
  /** @param busTraffic messages on the bus during one more (untimed) readUnits, by kind */
  record Result(double connectMs, List<Double> readUnitsMs, double listUnitsByNamesMs, Map<String, Integer> busTraffic) {}

  private static final SystemdEvents IGNORE = new SystemdEvents() {
    @Override
    public void propertiesChanged(String path, Map<String, Object> changed) {}

    @Override
    public void disconnected(String reason) {}
  };

  private SyncBreakdown() {}

  static Result measure(String address, List<String> units, int reads) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      DbusSystemdClient client = new DbusSystemdClient(vertx, address);
      long t0 = System.nanoTime();
      client.connect(IGNORE).await();
      double connectMs = Stats.ms(System.nanoTime() - t0);
      List<Double> readMs = new java.util.ArrayList<>();
      for (int i = 0; i < reads; i++) {
        long t = System.nanoTime();
        client.readUnits(units).await();
        readMs.add(Stats.ms(System.nanoTime() - t));
      }
      Map<String, Integer> traffic = new TreeMap<>();
      try (BusMonitor monitor = BusMonitor.start(address)) {
        monitor.awaitReady(Duration.ofSeconds(10));
        Thread.sleep(300);
        long from = IdleBench.micros();
        client.readUnits(units).await();
        Thread.sleep(2_000); // systemd unloads what the read loaded: that traffic belongs to it too
        for (JsonObject m : monitor.stop(from, IdleBench.micros())) {
          traffic.merge(m.getString("type") + (m.containsKey("member") ? " " + m.getString("member") : ""), 1,
              Integer::sum);
        }
      }
      client.close().await();
      DBusConnection raw = PushLatencyBench.connect(address);
      try {
        Manager manager = raw.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        manager.ListUnitsByNames(units); // first call pays for the proxy and class loading
        long t = System.nanoTime();
        manager.ListUnitsByNames(units);
        return new Result(connectMs, readMs, Stats.ms(System.nanoTime() - t), traffic);
      } finally {
        raw.disconnect();
      }
    } finally {
      vertx.close().await();
    }
  }
}
