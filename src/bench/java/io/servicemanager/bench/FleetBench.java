package io.servicemanager.bench;

import io.servicemanager.Addresses;
import io.servicemanager.cluster.FleetProbe;
import io.servicemanager.config.ClusterConfig;
import io.servicemanager.fleetca.FleetCa;
import io.servicemanager.systemd.dbus.Manager;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.freedesktop.dbus.connections.impl.DBusConnection;

/**
 * The fleet, measured in one run (scripts/bench-fleet): N nodes as deployed (the packaged jar, each on a
 * systemd sandbox of its own, one dashboard A, the event bus over mutual TLS) beside a standalone
 * server with the same units and JVM options.
 * <ul>
 *   <li>Push latency: StartUnit/StopUnit of {@code bench@push} on node B → the view's arrival, for the
 *       standalone at its /ws client, for the fleet at a fleet member of the bench's own (its own
 *       certificate, a consumer on {@code servicemanager.fleet.status}: what dashboard A's directory
 *       receives) and — when A's /ws snapshot carries views of other nodes — at a /ws client of A.
 *       Rounds alternate which side goes first.</li>
 *   <li>RSS and idle CPU per node; time from kill -9 of a node to {@code reachable: false} on A's
 *       {@code /api/nodes} (read every 50 ms).</li>
 * </ul>
 */
public final class FleetBench {
  private static final long ROUND_TIMEOUT_S = 15;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final FleetBenchConfig config = FleetBenchConfig.fromEnvironment();
  private final List<FleetNode> nodes = new ArrayList<>();
  private final FleetBenchReport report = new FleetBenchReport(config);
  private int nextPort;
  private Path work;

  /** One side's transition in flight: when each observer saw the state awaited. */
  private record Pending(String expected, CompletableFuture<Long> first, CompletableFuture<Long> second) {
    static Pending of(String expected) {
      return new Pending(expected, new CompletableFuture<>(), new CompletableFuture<>());
    }

    void mark(CompletableFuture<Long> slot, String status, long now) {
      if (expected.equals(status)) {
        slot.complete(now);
      }
    }
  }

  private final AtomicReference<Pending> fleetSide = new AtomicReference<>();
  private final AtomicReference<Pending> standaloneSide = new AtomicReference<>();
  private final AtomicBoolean wsCarriesFleet = new AtomicBoolean();

  public static void main(String[] args) throws Exception {
    FleetBench bench = new FleetBench();
    Runtime.getRuntime().addShutdownHook(new Thread(bench::closeNodes, "fleet-bench-shutdown"));
    try {
      bench.run();
    } finally {
      bench.closeNodes();
      if (bench.work != null) {
        deleteTree(bench.work);
      }
    }
    System.exit(0);
  }

  private void run() throws Exception {
    work = Files.createTempDirectory("sm-bench-fleet-");
    nextPort = config.portBase();
    Path certs = work.resolve("fleet");
    FleetCa ca = FleetCa.openOrCreate(certs);
    List<String> names = Stream.iterate(1, i -> i + 1).limit(config.nodes()).map(i -> String.format("node-%02d", i)).toList();
    List<Integer> hazelcast = new ArrayList<>();
    for (int i = 0; i <= names.size(); i++) {
      hazelcast.add(port());
    }
    String members = hazelcast.stream().map(p -> "\n    - 127.0.0.1:" + p).reduce("", String::concat);
    report.load("start");
    long t0 = System.nanoTime();
    for (int i = 0; i < names.size(); i++) {
      String node = names.get(i);
      ca.issue(node, certs);
      String cluster = "cluster:\n  node: " + node + "\n  host: 127.0.0.1\n  port: " + hazelcast.get(i) + "\n  members:"
          + members + "\n  dashboard: " + (i == 0) + "\n  eventbus:\n    host: 127.0.0.1\n    port: " + port()
          + "\n    tls:\n      cert: " + certs.resolve(node + ".pem") + "\n      key: " + certs.resolve(node + ".key")
          + "\n      ca: " + certs.resolve("ca.pem") + "\n";
      nodes.add(FleetNode.prepare(node, work.resolve(node), config.units(), i == 0 ? port() : 0, cluster));
    }
    FleetNode standalone = FleetNode.prepare("standalone", work.resolve("standalone"), config.units(), port(), null);
    nodes.add(standalone);
    for (FleetNode node : nodes) {
      node.start(config.jar(), config.jvmOptions());
    }
    FleetNode a = nodes.get(0);
    FleetNode b = nodes.get(1);
    awaitFleet(a, names);
    awaitHealthy(standalone);
    report.formed(Stats.ms(System.nanoTime() - t0));

    ca.issue("bench-probe", certs);
    Vertx probe = FleetProbe.join(new ClusterConfig("bench-probe", "127.0.0.1", hazelcast.get(names.size()),
        hazelcast.stream().map(p -> "127.0.0.1:" + p).toList(), "127.0.0.1", port(), certs.resolve("bench-probe.pem"),
        certs.resolve("bench-probe.key"), certs.resolve("ca.pem"), false));
    probe.eventBus().<JsonObject>consumer(Addresses.FLEET_STATUS, m -> {
      long now = System.nanoTime();
      JsonObject view = m.body().getJsonObject("view");
      Pending p = fleetSide.get();
      if (p != null && b.name.equals(m.body().getString("node")) && view != null && FleetNode.PUSH.equals(view.getString("name"))) {
        p.mark(p.first(), view.getString("status"), now);
      }
    }).completion().await();
    try (TimedWsClient wsA = TimedWsClient.connect(a.httpPort, (now, frame) -> onDashboardWs(a.name, b.name, now, frame));
         TimedWsClient wsS = TimedWsClient.connect(standalone.httpPort, this::onStandaloneWs)) {
      latency(b, standalone);
    } finally {
      probe.close().await();
    }
    footprint(names);
    losses(a, names);
    closeNodes();
    report.write();
  }

  /** Alternating which side goes first, so a drift in the machine's load falls on both. */
  private void latency(FleetNode b, FleetNode standalone) throws Exception {
    report.load("latency");
    DBusConnection onB = PushLatencyBench.connect(b.sandbox.busAddress());
    DBusConnection onS = PushLatencyBench.connect(standalone.sandbox.busAddress());
    try {
      Manager managerB = onB.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
      Manager managerS = onS.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
      for (int round = 0; round < config.warmup() + config.rounds(); round++) {
        boolean start = round % 2 == 0;
        boolean measured = round >= config.warmup();
        boolean fleetFirst = (round / 2) % 2 == 0;
        for (int side = 0; side < 2; side++) {
          boolean fleet = (side == 0) == fleetFirst;
          Pending p = Pending.of(start ? "active" : "inactive");
          (fleet ? fleetSide : standaloneSide).set(p);
          Manager manager = fleet ? managerB : managerS;
          long t0 = System.nanoTime();
          if (start) {
            manager.StartUnit(FleetNode.PUSH + ".service", "replace");
          } else {
            manager.StopUnit(FleetNode.PUSH + ".service", "replace");
          }
          Long first = await(p.first());
          boolean overWs = fleet && wsCarriesFleet.get();
          Long second = overWs ? await(p.second()) : null;
          if (measured) {
            if (fleet) {
              report.fleetSample(first == null ? -1 : first - t0, !overWs ? null : second == null ? -1L : second - t0);
            } else {
              report.standaloneSample(first == null ? -1 : first - t0);
            }
          }
          (fleet ? fleetSide : standaloneSide).set(null);
          Thread.sleep(config.pauseMs());
        }
      }
      report.wsCarriedFleet(wsCarriesFleet.get());
    } finally {
      onB.disconnect();
      onS.disconnect();
    }
  }

  private static Long await(CompletableFuture<Long> seen) {
    try {
      return seen.get(ROUND_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  /** A's /ws: its snapshot says whether it carries other nodes' views yet (h15-feed); then their status frames. */
  private void onDashboardWs(String a, String b, long now, JsonObject frame) {
    String type = frame.getString("type");
    if ("snapshot".equals(type)) {
      JsonArray services = frame.getJsonArray("services", new JsonArray());
      wsCarriesFleet.set(services.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .anyMatch(v -> v.getString("node") != null && !a.equals(v.getString("node"))));
    } else if ("status".equals(type) && frame.getValue("service") instanceof JsonObject view
        && b.equals(view.getString("node")) && FleetNode.PUSH.equals(view.getString("name"))) {
      Pending p = fleetSide.get();
      if (p != null) {
        p.mark(p.second(), view.getString("status"), now);
      }
    }
  }

  private void onStandaloneWs(long now, JsonObject frame) {
    if ("status".equals(frame.getString("type")) && frame.getValue("service") instanceof JsonObject view
        && FleetNode.PUSH.equals(view.getString("name"))) {
      Pending p = standaloneSide.get();
      if (p != null) {
        p.mark(p.first(), view.getString("status"), now);
      }
    }
  }

  /** RSS and CPU per node over an idle window, every node and the standalone side by side. */
  private void footprint(List<String> names) throws Exception {
    report.load("footprint");
    long[] cpu0 = nodes.stream().mapToLong(n -> ProcessStats.cpuMillis(n.pid())).toArray();
    long t0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(config.idleSeconds()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < nodes.size(); i++) {
      FleetNode n = nodes.get(i);
      double cpuMsPerS = (ProcessStats.cpuMillis(n.pid()) - cpu0[i]) / seconds;
      String role = i == 0 ? "dashboard A" : i == 1 ? "node B" : i == nodes.size() - 1 ? "standalone" : "node";
      report.node(n.name, role, ProcessStats.rssMiB(n.pid(), "VmRSS:"), ProcessStats.rssMiB(n.pid(), "VmHWM:"), cpuMsPerS);
    }
    HttpResponse<String> views = get(nodes.get(0), "/api/nodes/" + names.get(1) + "/services");
    report.viewBytes(views.body().length() / (double) (config.units() + 1));
  }

  /** kill -9 of the last nodes in turn (never A or B), each timed until A's /api/nodes says unreachable. */
  private void losses(FleetNode a, List<String> names) throws Exception {
    report.load("loss");
    for (int k = 0; k < config.losses() && names.size() - 1 - k > 1; k++) {
      FleetNode victim = nodes.get(names.size() - 1 - k);
      long t0 = System.nanoTime();
      victim.kill9();
      long killed = System.nanoTime();
      long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
      Long shown = null;
      while (System.nanoTime() < deadline) {
        if (Boolean.FALSE.equals(reachable(a, victim.name))) {
          shown = System.nanoTime();
          break;
        }
        Thread.sleep(50);
      }
      report.loss(victim.name, Stats.ms(killed - t0), shown == null ? Double.NaN : Stats.ms(shown - t0));
    }
  }

  private Boolean reachable(FleetNode a, String node) throws Exception {
    JsonArray list = new JsonObject(get(a, "/api/nodes").body()).getJsonArray("nodes");
    return list.stream().map(JsonObject.class::cast).filter(n -> node.equals(n.getString("node")))
        .map(n -> n.getBoolean("reachable")).findFirst().orElse(null);
  }

  /** Every node reachable on A with all its services: the fleet has formed. Read once a second. */
  private void awaitFleet(FleetNode a, List<String> names) throws Exception {
    long deadline = System.nanoTime() + config.formTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      for (FleetNode n : nodes) {
        if (!n.alive()) {
          throw new IllegalStateException(n.name + " exited; its log: " + n.dir.resolve("node.log"));
        }
      }
      try {
        JsonArray list = new JsonObject(get(a, "/api/nodes").body()).getJsonArray("nodes");
        long ready = list.stream().map(JsonObject.class::cast)
            .filter(n -> n.getBoolean("reachable") && n.getInteger("services") == config.units() + 1).count();
        if (ready == names.size()) {
          return;
        }
      } catch (Exception notYet) {
        // A is not serving yet
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the fleet did not form within " + config.formTimeout());
  }

  private void awaitHealthy(FleetNode n) throws Exception {
    long deadline = System.nanoTime() + config.formTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get(n, "/api/health").statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(n.name + " did not become healthy");
  }

  private HttpResponse<String> get(FleetNode n, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + path))
        .header("Authorization", TestConfigs.operatorBasic()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The next port of BENCH_FLEET_PORT_BASE's range, or a free one. */
  private int port() throws Exception {
    if (nextPort > 0) {
      return nextPort++;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private synchronized void closeNodes() {
    for (FleetNode n : nodes) {
      try {
        n.close();
      } catch (Exception e) {
        System.err.println("fleet bench: closing " + n.name + ": " + e);
      }
    }
    nodes.clear();
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
