package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.BareGets;
import io.servicemanager.systemd.dbus.Manager;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * Ways to read the details of N active units (src/bench/README.md, "Where the time of the details
 * goes"): two Gets through dbus-java's proxy or built as messages ({@code raw2}; {@code raw1}: the
 * timestamp alone, {@code raw1-nodecode}: its reply not decoded), or one GetAll per interface, at a
 * given number in flight; {@code bare1}/{@code bare2}: the same Gets over the application's
 * {@link BareGets}; {@code dump}: one {@code Manager.Dump}; a suffix {@code x2} splits the units over
 * two connections in two threads. Wall time and the CPU of this JVM, systemd and dbus-daemon, three rounds.
 * {@code BENCH_UNITS=5000 PROBE=get2:64,raw2:64,getall-svc:64,getall-unit:64 mvn -B -q -Pbench
 * test-compile exec:exec -Dbench.main=io.servicemanager.bench.DetailReadProbe} (as root).
 */
public final class DetailReadProbe {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(System.getenv().getOrDefault("BENCH_UNITS", "5000"));
    List<String> units = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      units.add("scale@" + i + ".service");
    }
    try (SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/scale@.service")
        .stopTimeout(Duration.ofSeconds(120)).closeOnShutdown().start()) {
      System.err.printf("start %d: %.0f ms%n", n, ColdSyncBench.startAll(sandbox, units));
      DBusConnection bus = PushLatencyBench.connect(sandbox.busAddress());
      List<String> paths = new ArrayList<>();
      for (var row : bus.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class).ListUnitsByNames(units)) {
        paths.add(row.path.getPath());
      }
      String[] strategies = System.getenv().getOrDefault("PROBE", "get2:64,getall-svc:64,getall-unit:64,get2:120,getall-svc:120").split(",");
      for (int round = 0; round < 3; round++) {
        for (String s : strategies) {
          String[] p = s.split(":");
          int window = Integer.parseInt(p[1]);
          long jvm0 = ProcessStats.jvmCpuNanos();
          long sd0 = ProcessStats.cpuMillis(sandbox.managerPid());
          long db0 = ProcessStats.cpuMillis(sandbox.busDaemonPid());
          long t = System.nanoTime();
          run(bus, sandbox.busAddress(), paths, p[0], window, round == 0);
          double ms = Stats.ms(System.nanoTime() - t);
          System.err.printf("%-14s w=%3d  %7.0f ms  jvm %5d ms  systemd %5d ms  dbus %5d ms%n", p[0], window, ms,
              (ProcessStats.jvmCpuNanos() - jvm0) / 1_000_000, ProcessStats.cpuMillis(sandbox.managerPid()) - sd0,
              ProcessStats.cpuMillis(sandbox.busDaemonPid()) - db0);
        }
      }
      bus.disconnect();
    }
    System.exit(0);
  }

  private static void run(DBusConnection bus, String address, List<String> paths, String kind, int window, boolean first)
      throws Exception {
    if (kind.endsWith("x2")) {
      // Two connections, each with half the units, in two threads.
      String one = kind.substring(0, kind.length() - 2);
      DBusConnection second = one.startsWith("raw") ? PushLatencyBench.connect(address) : null;
      try {
        int half = paths.size() / 2;
        Thread t = new Thread(() -> {
          try {
            run(second, address, paths.subList(half, paths.size()), one, window, false);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        t.start();
        run(bus, address, paths.subList(0, half), one, window, false);
        t.join();
      } finally {
        if (second != null) {
          second.disconnect();
        }
      }
      return;
    }
    if (kind.startsWith("raw")) {
      raw(bus, paths, window, kind);
      return;
    }
    if (kind.startsWith("bare")) {
      bare(address, paths, window, kind);
      return;
    }
    if (kind.equals("dump")) {
      dump(bus, first);
      return;
    }
    ArrayDeque<DBusAsyncReply<?>> inFlight = new ArrayDeque<>();
    for (String path : paths) {
      Properties remote = bus.getRemoteObject(Manager.BUS_NAME, path, Properties.class);
      List<Object[]> calls = switch (kind) {
        case "get2" -> List.of(new Object[] {"Get", "org.freedesktop.systemd1.Unit", "StateChangeTimestamp"},
            new Object[] {"Get", "org.freedesktop.systemd1.Service", "MainPID"});
        case "getall-svc" -> List.<Object[]>of(new Object[] {"GetAll", "org.freedesktop.systemd1.Service"});
        case "getall-unit" -> List.<Object[]>of(new Object[] {"GetAll", "org.freedesktop.systemd1.Unit"});
        default -> throw new IllegalArgumentException(kind);
      };
      for (Object[] c : calls) {
        if (inFlight.size() >= window) {
          collect(inFlight.poll());
        }
        Object[] a = java.util.Arrays.copyOfRange(c, 1, c.length);
        inFlight.add(bus.callMethodAsync(remote, (String) c[0], a));
      }
    }
    while (!inFlight.isEmpty()) {
      collect(inFlight.poll());
    }
  }

  /** Gets built as messages: no proxy, no reflection; the reply's parameters read as they come. */
  private static void raw(DBusConnection bus, List<String> paths, int window, String kind) throws Exception {
    var factory = bus.getMessageFactory();
    ArrayDeque<org.freedesktop.dbus.messages.MethodCall> inFlight = new ArrayDeque<>();
    String[][] props = kind.startsWith("raw1")
        ? new String[][] {{"org.freedesktop.systemd1.Unit", "StateChangeTimestamp"}}
        : new String[][] {{"org.freedesktop.systemd1.Unit", "StateChangeTimestamp"}, {"org.freedesktop.systemd1.Service", "MainPID"}};
    boolean decode = !kind.endsWith("-nodecode");
    for (String path : paths) {
      for (String[] p : props) {
        if (inFlight.size() >= window) {
          rawCollect(inFlight.poll(), decode);
        }
        var call = factory.createMethodCall(Manager.BUS_NAME, path, "org.freedesktop.DBus.Properties", "Get", (byte) 0, "ss", p[0], p[1]);
        bus.sendMessage(call);
        inFlight.add(call);
      }
    }
    while (!inFlight.isEmpty()) {
      rawCollect(inFlight.poll(), decode);
    }
  }

  /** The Gets over the application's bare connection ({@link BareGets}), refilled half a window at a time. */
  private static void bare(String address, List<String> paths, int window, String kind) throws Exception {
    String[][] props = kind.startsWith("bare1")
        ? new String[][] {{"org.freedesktop.systemd1.Unit", "StateChangeTimestamp"}}
        : new String[][] {{"org.freedesktop.systemd1.Unit", "StateChangeTimestamp"}, {"org.freedesktop.systemd1.Service", "MainPID"}};
    int total = paths.size() * props.length;
    try (BareGets gets = BareGets.open(address, 60_000)) {
      int sent = 0;
      int replies = 0;
      while (replies < total) {
        if (sent < total && sent - replies <= window / 2) {
          while (sent < total && sent - replies < window) {
            String[] p = props[sent % props.length];
            gets.get(paths.get(sent / props.length), p[0], p[1]);
            sent++;
          }
          gets.flush();
        }
        BareGets.Reply r = gets.next();
        if (r.error() || r.value() == null) {
          throw new IllegalStateException("reply " + r);
        }
        replies++;
      }
    }
  }

  /** Manager.Dump: one call, the whole manager's state as text. */
  private static void dump(DBusConnection bus, boolean show) throws Exception {
    var call = bus.getMessageFactory().createMethodCall(Manager.BUS_NAME, Manager.OBJECT_PATH,
        "org.freedesktop.systemd1.Manager", "Dump", (byte) 0, null);
    bus.sendMessage(call);
    var reply = call.getReply(120_000);
    if (reply instanceof org.freedesktop.dbus.messages.Error e) {
      throw e.getException();
    }
    String text = (String) reply.getParameters()[0];
    long stamps = text.lines().filter(l -> l.trim().startsWith("State Change Timestamp:")).count();
    if (show) {
      System.err.printf("dump: %,d bytes, %,d lines, %d State Change Timestamp lines; e.g. %s%n", text.length(),
          text.lines().count(), stamps, text.lines().filter(l -> l.contains("State Change Timestamp:")).findFirst().orElse("none"));
    }
  }

  private static void rawCollect(org.freedesktop.dbus.messages.MethodCall call, boolean decode) throws Exception {
    var reply = call.getReply(60_000);
    if (reply instanceof org.freedesktop.dbus.messages.Error e) {
      throw e.getException();
    }
    if (!decode) {
      return;
    }
    Object[] params = reply.getParameters();
    if (params.length != 1) {
      throw new IllegalStateException("reply " + java.util.Arrays.toString(params));
    }
  }

  private static void collect(DBusAsyncReply<?> r) throws Exception {
    r.getCall().getReply();
    if (r.getReply() == null) {
      throw new IllegalStateException("no reply");
    }
  }
}
