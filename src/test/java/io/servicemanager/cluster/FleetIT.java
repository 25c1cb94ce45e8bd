package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.ClusterConfig;
import io.servicemanager.fleetca.FleetCa;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.FleetFixture;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in JVMs of their own on 127.0.0.1, each on a systemd sandbox of its own, in one fleet:
 * alpha serves the dashboard, beta and gamma only their own units. Every node has a {@code shared}
 * unit; beta's services.yaml lets nobody stop its {@code locked} unit, while the dashboard's users.yaml
 * gives the tester every service everywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {
  private static final List<String> NODES = List.of("alpha", "beta", "gamma");

  @TempDir static Path dir;
  private static FleetFixture fleet;
  private static final Map<String, SystemdSandbox> sandboxes = new LinkedHashMap<>();
  private static final List<AutoCloseable> others = new CopyOnWriteArrayList<>();
  private static int httpPort;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void startFleet() throws Exception {
    FleetFixture.Builder builder = FleetFixture.in(dir);
    for (String node : NODES) {
      String other = node.equals("beta") ? "locked" : "own-" + node;
      builder.node(node, FleetFixture.service("shared", "Shared", "on every node", "all"),
          FleetFixture.service(other, "Other", "this node's own", node.equals("beta") ? "restart" : "all"));
    }
    fleet = builder.start();
    NODES.forEach(node -> sandboxes.put(node, fleet.sandbox(node)));
    httpPort = fleet.httpPort();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    for (AutoCloseable c : others) {
      c.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return fleet.get(TestConfigs.OPERATOR, path);
  }

  private static HttpResponse<String> post(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .header("Authorization", TestConfigs.operatorBasic()).POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(180)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject node(String name) throws Exception {
    HttpResponse<String> r = get("/api/nodes");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("node").equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + r.body()));
  }

  private static JsonObject view(String node, String service) throws Exception {
    HttpResponse<String> r = get("/api/nodes/" + node + "/services/" + service);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  @Order(1)
  @DisplayName("The dashboard lists every node, reachable, with its services, each view carrying its node")
  void listsNodes() throws Exception {
    for (String name : NODES) {
      JsonObject node = node(name);
      assertThat(node.getBoolean("reachable")).isTrue();
      assertThat(node.getInteger("services")).isEqualTo(2);
      assertThat(node.getString("since")).isNotBlank();
      JsonObject shared = view(name, "shared");
      assertThat(shared.getString("node")).isEqualTo(name);
      assertThat(shared.getString("status")).isEqualTo("active");
    }
    HttpResponse<String> list = get("/api/nodes/beta/services");
    assertThat(new JsonObject(list.body()).getJsonArray("services").stream().map(v -> ((JsonObject) v).getString("name")))
        .containsExactlyInAnyOrder("shared", "locked");
    assertThat(get("/api/nodes/delta/services").statusCode()).isEqualTo(404);
    assertThat(new JsonObject(get("/api/nodes/delta/services").body()).getString("error")).isEqualTo("unknown_node");
  }

  @Test
  @Order(2)
  @DisplayName("An action on a node-qualified route acts on that node's systemd only, though every node has the unit")
  void routesActions() throws Exception {
    HttpResponse<String> r = post("/api/nodes/beta/services/shared/stop");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(sandboxes.get("beta").activeState("shared.service")).isEqualTo("inactive");
    assertThat(sandboxes.get("alpha").activeState("shared.service")).isEqualTo("active");
    assertThat(sandboxes.get("gamma").activeState("shared.service")).isEqualTo("active");
    r = post("/api/nodes/beta/services/shared/start");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(sandboxes.get("beta").activeState("shared.service")).isEqualTo("active");
  }

  @Test
  @Order(3)
  @DisplayName("A node's services.yaml holds against a dashboard whose users.yaml allows more: beta never stops its locked unit")
  void nodeTableHolds() throws Exception {
    HttpResponse<String> r = post("/api/nodes/beta/services/locked/stop");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(sandboxes.get("beta").activeState("locked.service")).isEqualTo("active");
    r = post("/api/nodes/beta/services/own-alpha/stop");
    assertThat(r.statusCode()).as("a service beta does not have: " + r.body()).isEqualTo(404);
    assertThat(sandboxes.get("alpha").activeState("own-alpha.service")).isEqualTo("active");
  }

  @Test
  @Order(4)
  @DisplayName("A process without a certificate from the fleet's CA joins Hazelcast but can neither act nor hear anything")
  void foreignCertificateRefused() throws Exception {
    Path foreign = dir.resolve("foreign");
    FleetCa.openOrCreate(foreign).issue("mallory", foreign);
    List<String> members = fleet.members();
    ClusterConfig mallory = new ClusterConfig("mallory", "127.0.0.1", FleetFixture.freePort(), members, "127.0.0.1", 0,
        foreign.resolve("mallory.pem"), foreign.resolve("mallory.key"), foreign.resolve("ca.pem"), false);
    Vertx rogue = FleetVertx.start(mallory, id -> { }).await().vertx();
    others.add(() -> rogue.close().await(60, TimeUnit.SECONDS));
    List<Object> heard = new CopyOnWriteArrayList<>();
    rogue.eventBus().consumer(io.servicemanager.Addresses.FLEET_ANNOUNCE, m -> heard.add(m.body()));
    rogue.eventBus().consumer(io.servicemanager.Addresses.FLEET_STATUS, m -> heard.add(m.body()));
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    rogue.eventBus().request(io.servicemanager.Addresses.ofNode("gamma", "action"), new JsonObject().put("service", "shared")
            .put("action", "stop").put("identity", TestConfigs.operatorIdentity()), new DeliveryOptions().setSendTimeout(15_000))
        .onComplete(ar -> refused.complete(ar.cause()));
    assertThat(refused.get(60, TimeUnit.SECONDS)).as("the request was not answered").isNotNull();
    CompletableFuture<Throwable> unseen = new CompletableFuture<>();
    rogue.eventBus().request(io.servicemanager.Addresses.ofNode("gamma", "snapshot"), new JsonObject()
            .put("identity", TestConfigs.operatorIdentity()), new DeliveryOptions().setSendTimeout(15_000))
        .onComplete(ar -> unseen.complete(ar.cause()));
    assertThat(unseen.get(60, TimeUnit.SECONDS)).as("no snapshot for it").isNotNull();

    // The control: the same request from a process with a certificate of the fleet's CA is answered.
    Path ca = fleet.caDir();
    FleetCa.openOrCreate(ca).issue("insider", ca);
    ClusterConfig insiderConfig = new ClusterConfig("insider", "127.0.0.1", FleetFixture.freePort(), members, "127.0.0.1", 0,
        ca.resolve("insider.pem"), ca.resolve("insider.key"), ca.resolve("ca.pem"), false);
    Vertx insider = FleetVertx.start(insiderConfig, id -> { }).await().vertx();
    try {
      JsonObject snapshot = insider.eventBus().<JsonObject>request(io.servicemanager.Addresses.ofNode("gamma", "snapshot"),
          new JsonObject().put("identity", TestConfigs.operatorIdentity()), new DeliveryOptions().setSendTimeout(60_000))
          .await().body();
      assertThat(snapshot.getJsonArray("services")).hasSize(2);
    } finally {
      insider.close().await(60, TimeUnit.SECONDS);
    }
    // While it waited, every node announced itself a dozen times and gamma's unit changed: none reached it.
    sandboxes.get("gamma").systemctlOk("restart", "own-gamma.service");
    assertThat(sandboxes.get("gamma").activeState("shared.service")).isEqualTo("active");
    assertThat(heard).isEmpty();
  }

  @Test
  @Order(5)
  @DisplayName("kill -9 of a node shows its services unreachable (never a remembered active); its return shows the true state")
  void nodeLossAndReturn() throws Exception {
    NodeProcess alpha = fleet.process("alpha");
    CompletableFuture<String> lost = alpha.next(l -> l.contains("fleet: node gamma unreachable"));
    long killed = System.nanoTime();
    fleet.process("gamma").kill9();
    alpha.awaitFuture(lost, "gamma unreachable on the dashboard", Duration.ofSeconds(120));
    System.out.printf("gamma shown unreachable %d ms after kill -9%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    assertThat(node("gamma").getBoolean("reachable")).isFalse();
    JsonObject shown = view("gamma", "shared");
    assertThat(shown.getString("status")).isEqualTo("unreachable");
    assertThat(shown.getValue("active_state")).isNull();
    HttpResponse<String> act = post("/api/nodes/gamma/services/shared/stop");
    assertThat(act.statusCode()).as(act.body()).isEqualTo(503);
    assertThat(new JsonObject(act.body()).getString("error")).isEqualTo("node_unreachable");

    // While gamma is away its unit stops; when it is back the dashboard shows that, not what it had.
    sandboxes.get("gamma").systemctlOk("stop", "shared.service");
    CompletableFuture<String> back = alpha.next(l -> l.contains("fleet: node gamma reachable"));
    fleet.restart("gamma");
    alpha.awaitFuture(back, "gamma reachable again", FleetFixture.START);
    assertThat(node("gamma").getBoolean("reachable")).isTrue();
    assertThat(view("gamma", "shared").getString("status")).isEqualTo("inactive");
    assertThat(view("gamma", "own-gamma").getString("status")).isEqualTo("active");
  }
}
