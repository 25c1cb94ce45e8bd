package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Tokens;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.BridgeClient;
import io.servicemanager.testing.FleetFixture;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's push feed over a fleet: three nodes in JVMs of their own on 127.0.0.1, each on a
 * systemd sandbox of its own. {@code dash} serves the dashboard; {@code game-b} and {@code game-c}
 * only their own units. Every node has {@code sm-feed-x}; game-b's services.yaml lets nobody stop its
 * {@code sm-feed-locked}, though the dashboard's users.yaml gives the tester every service everywhere;
 * the user {@code limited} may see only {@code game-*}{@code /sm-feed-x}, the user {@code dashonly} only
 * {@code sm-feed-x} (the dashboard's own).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFeedIT {
  private static final String DASH = "dash";
  private static final String B = "game-b";
  private static final String C = "game-c";
  private static final List<String> NODES = List.of(DASH, B, C);
  private static final String X = "sm-feed-x";
  private static final String LOCKED = "sm-feed-locked";
  private static final Duration PUSH = Duration.ofSeconds(60);
  /** Reported started, then dies 3 s later: a start_failed follows. */
  private static final String DIES_SOON = "[Service]\nExecStart=/bin/sh -c 'sleep 3; exit 1'\n";

  @TempDir static Path dir;
  private static FleetFixture fleet;
  private static final Map<String, SystemdSandbox> sandboxes = new LinkedHashMap<>();
  private static int httpPort;
  private static int tcpPort;
  private static final String BOT_TOKEN = Tokens.newToken();

  private static String own(String node) {
    return node.equals(B) ? LOCKED : "sm-feed-own-" + node;
  }

  @BeforeAll
  static void startFleet() throws Exception {
    FleetFixture.Builder builder = FleetFixture.in(dir).tcpBridge()
        .users("  limited:\n    password: \"" + TestConfigs.operatorHash() + "\"",
            "    role: viewer", "    services: [\"game-*/" + X + "\"]",
            "  dashonly:", "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: viewer", "    services: [" + X + "]",
            "tokens:", "  bot:", "    sha256: \"" + Tokens.sha256Hex(BOT_TOKEN) + "\"", "    role: operator");
    for (String node : NODES) {
      builder.node(node, FleetFixture.service(X, "X", "on every node", "all"),
          FleetFixture.service(own(node), "Own", "this node's own", node.equals(B) ? "restart" : "all"));
    }
    fleet = builder.start();
    NODES.forEach(node -> sandboxes.put(node, fleet.sandbox(node)));
    httpPort = fleet.httpPort();
    tcpPort = fleet.tcpPort();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static WsClient as(String user) {
    return fleet.ws(user);
  }

  /** "node/name" of each view. */
  private static List<String> qualified(JsonArray views) {
    return views.stream().map(JsonObject.class::cast).map(v -> v.getString("node") + "/" + v.getString("name")).toList();
  }

  private static JsonObject named(JsonArray views, String node, String name) {
    return views.stream().map(JsonObject.class::cast).filter(v -> node.equals(v.getString("node")) && name.equals(v.getString("name")))
        .findFirst().orElseThrow(() -> new AssertionError(node + "/" + name + " not in " + views));
  }

  private static boolean isStatus(JsonObject frame, String node, String name, String status) {
    return "status".equals(frame.getString("type")) && frame.getValue("service") instanceof JsonObject view
        && node.equals(view.getString("node")) && name.equals(view.getString("name")) && status.equals(view.getString("status"));
  }

  private static JsonObject awaitStatus(WsClient ws, String node, String name, String status) {
    return ws.await(f -> isStatus(f, node, name, status), PUSH).getJsonObject("service");
  }

  @Test
  @Order(1)
  @DisplayName("A /ws client of the dashboard is sent every node's services in its snapshot, each view carrying its node, its actions from that node's table")
  void snapshotHasEveryNode() {
    try (WsClient ws = as(TestConfigs.OPERATOR)) {
      JsonArray views = ws.awaitType("snapshot", PUSH).getJsonArray("services");
      assertThat(qualified(views)).containsExactlyInAnyOrder(DASH + "/" + X, DASH + "/" + own(DASH), B + "/" + X,
          B + "/" + LOCKED, C + "/" + X, C + "/" + own(C));
      assertThat(named(views, B, X).getString("status")).isEqualTo("active");
      assertThat(named(views, B, LOCKED).getJsonArray("allowed_actions")).containsExactly("restart");
      assertThat(named(views, DASH, X).getJsonArray("allowed_actions")).contains("stop");
    }
  }

  @Test
  @Order(2)
  @DisplayName("A unit change on game-b reaches the dashboard's /ws client live, as game-b's view")
  void remoteChangeIsPushed() {
    try (WsClient ws = as(TestConfigs.OPERATOR)) {
      ws.awaitType("snapshot", PUSH);
      sandboxes.get(B).systemctlOk("stop", X + ".service");
      JsonObject stopped = awaitStatus(ws, B, X, "inactive");
      assertThat(stopped.getValue("main_pid")).isNull();
      sandboxes.get(B).systemctlOk("start", X + ".service");
      assertThat(awaitStatus(ws, B, X, "active").getValue("main_pid")).isNotNull();
      assertThat(sandboxes.get(DASH).activeState(X + ".service")).isEqualTo("active");
    }
  }

  @Test
  @Order(3)
  @DisplayName("A user limited to game-*/sm-feed-x is sent just those, in the snapshot and live; nothing of any other service or node")
  void limitedUserSeesOnlyTheirs() {
    try (WsClient tester = as(TestConfigs.OPERATOR); WsClient limited = as("limited")) {
      tester.awaitType("snapshot", PUSH);
      JsonArray views = limited.awaitType("snapshot", PUSH).getJsonArray("services");
      assertThat(qualified(views)).containsExactlyInAnyOrder(B + "/" + X, C + "/" + X);
      assertThat(named(views, C, X).getJsonArray("allowed_actions")).as("a viewer may do nothing").isEmpty();

      // Changes the limited user may not see, each pushed to the tester (so the fan-out is past them) ...
      for (String node : List.of(B, C, DASH)) {
        String unit = (node.equals(DASH) ? X : own(node)) + ".service";
        sandboxes.get(node).systemctlOk("stop", unit);
        awaitStatus(tester, node, node.equals(DASH) ? X : own(node), "inactive");
        sandboxes.get(node).systemctlOk("start", unit);
        awaitStatus(tester, node, node.equals(DASH) ? X : own(node), "active");
      }
      // ... then one it may see.
      sandboxes.get(C).systemctlOk("stop", X + ".service");
      assertThat(awaitStatus(limited, C, X, "inactive").getJsonArray("allowed_actions")).isEmpty();
      sandboxes.get(C).systemctlOk("start", X + ".service");
      awaitStatus(limited, C, X, "active");
      assertThat(limited.allReceived()).filteredOn(f -> "status".equals(f.getString("type")))
          .allSatisfy(f -> {
            assertThat(f.getJsonObject("service").getString("name")).isEqualTo(X);
            assertThat(f.getJsonObject("service").getString("node")).isEqualTo(C);
          });
    }
  }

  @Test
  @Order(4)
  @DisplayName("An action over /ws naming game-b runs on game-b's systemd only; game-b's own table refuses what the dashboard's users.yaml would allow")
  void actionRoutedToNode() {
    try (WsClient ws = as(TestConfigs.OPERATOR)) {
      ws.awaitType("snapshot", PUSH);
      ws.send(new JsonObject().put("type", "action").put("id", "b1").put("node", B).put("service", X).put("action", "stop"));
      JsonObject result = ws.await(f -> "b1".equals(f.getValue("id")), Duration.ofSeconds(180));
      assertThat(result.getString("status")).as(result.encode()).isEqualTo("success");
      assertThat(sandboxes.get(B).activeState(X + ".service")).isEqualTo("inactive");
      assertThat(sandboxes.get(DASH).activeState(X + ".service")).isEqualTo("active");
      assertThat(sandboxes.get(C).activeState(X + ".service")).isEqualTo("active");
      awaitStatus(ws, B, X, "inactive");

      ws.send(new JsonObject().put("type", "action").put("id", "b2").put("node", B).put("service", X).put("action", "start"));
      assertThat(ws.await(f -> "b2".equals(f.getValue("id")), Duration.ofSeconds(180)).getString("status")).isEqualTo("success");
      assertThat(sandboxes.get(B).activeState(X + ".service")).isEqualTo("active");

      ws.send(new JsonObject().put("type", "action").put("id", "b3").put("node", B).put("service", LOCKED).put("action", "stop"));
      JsonObject refused = ws.await(f -> "b3".equals(f.getValue("id")), Duration.ofSeconds(180));
      assertThat(refused.getString("status")).isEqualTo("error");
      assertThat(refused.getString("code")).as(refused.encode()).isEqualTo("forbidden");
      assertThat(sandboxes.get(B).activeState(LOCKED + ".service")).isEqualTo("active");

      ws.send(new JsonObject().put("type", "action").put("id", "n1").put("node", "nowhere").put("service", X).put("action", "stop"));
      assertThat(ws.await(f -> "n1".equals(f.getValue("id")), Duration.ofSeconds(180)).getString("code")).isEqualTo("unknown_node");
      ws.send(new JsonObject().put("type", "action").put("id", "n2").put("node", 7).put("service", X).put("action", "stop"));
      assertThat(ws.await(f -> "error".equals(f.getString("type")), PUSH).getString("code")).isEqualTo("bad_request");
    }
  }

  @Test
  @Order(5)
  @DisplayName("game-b answers for its own service's history, timeline and statistics, to whom it may show them there")
  void nodeQualifiedHistoryAndInsight() throws Exception {
    HttpResponse<String> history = fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + X + "/history?limit=10");
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    List<JsonObject> entries = new JsonObject(history.body()).getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
    assertThat(entries).as("the /ws actions of the test before, recorded on game-b")
        .anySatisfy(e -> {
          assertThat(e.getString("action")).isEqualTo("stop");
          assertThat(e.getString("user")).isEqualTo(TestConfigs.OPERATOR);
          assertThat(e.getString("service")).isEqualTo(X);
        });
    HttpResponse<String> onDash = fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + DASH + "/services/" + X + "/history");
    assertThat(new JsonObject(onDash.body()).getJsonArray("entries")).as("nothing was done on dash: " + onDash.body()).isEmpty();

    HttpResponse<String> timeline = fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + X + "/timeline");
    assertThat(timeline.statusCode()).as(timeline.body()).isEqualTo(200);
    assertThat(new JsonObject(timeline.body()).getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("to")))
        .contains("inactive", "active");
    HttpResponse<String> stats = fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + X + "/stats?window=24h");
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    assertThat(new JsonObject(stats.body()).getString("service")).isEqualTo(X);

    HttpResponse<String> notTheirs = fleet.get("limited", "/api/nodes/" + B + "/services/" + LOCKED + "/history");
    assertThat(notTheirs.statusCode()).as(notTheirs.body()).isEqualTo(404);
    assertThat(new JsonObject(notTheirs.body()).getString("error")).isEqualTo("unknown_service");
    assertThat(fleet.get("limited", "/api/nodes/" + B + "/services/" + X + "/history").statusCode()).isEqualTo(200);
    HttpResponse<String> badLimit = fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + X + "/history?limit=0");
    assertThat(badLimit.statusCode()).as(badLimit.body()).isEqualTo(400);
  }

  @Test
  @Order(6)
  @DisplayName("The SockJS bridge carries game-c's views: in its snapshot reply, in status pushes, and an action naming game-c runs there, its operation pushed with game-c's name")
  void sockJsCarriesRemoteViews() {
    try (BridgeClient bridge = BridgeClient.sockJs(fleet.vertx(), httpPort,
        new WebSocketConnectOptions().addHeader("Authorization", TestConfigs.operatorBasic()))) {
      bridge.register(Addresses.STATUS, null);
      bridge.register(Addresses.OPERATION, null);
      bridge.request(Addresses.SNAPSHOT, new JsonObject(), "snap-1", null);
      JsonArray views = bridge.awaitAddress("snap-1", PUSH).getJsonObject("body").getJsonArray("services");
      assertThat(named(views, C, X).getString("status")).isEqualTo("active");

      bridge.request(Addresses.ACTION, new JsonObject().put("node", C).put("service", X).put("action", "stop"), "act-1", null);
      JsonObject answer = bridge.awaitAddress("act-1", Duration.ofSeconds(180)).getJsonObject("body");
      assertThat(answer.getString("status")).as(answer.encode()).isEqualTo("success");
      assertThat(sandboxes.get(C).activeState(X + ".service")).isEqualTo("inactive");
      assertThat(sandboxes.get(DASH).activeState(X + ".service")).isEqualTo("active");
      JsonObject pushed = bridge.await(f -> Addresses.STATUS.equals(f.getString("address"))
          && f.getJsonObject("body").getString("node").equals(C) && X.equals(f.getJsonObject("body").getString("name"))
          && "inactive".equals(f.getJsonObject("body").getString("status")), PUSH);
      assertThat(pushed.getString("type")).isEqualTo("rec");
      JsonObject operation = bridge.await(f -> Addresses.OPERATION.equals(f.getString("address"))
          && isOperation(f.getJsonObject("body"), C, X, "stop"), PUSH).getJsonObject("body");
      assertThat(operation.getString("user")).isEqualTo(TestConfigs.OPERATOR);
      sandboxes.get(C).systemctlOk("start", X + ".service");
    }
  }

  @Test
  @Order(7)
  @DisplayName("The TCP bridge carries game-c's views in its snapshot reply, and an action naming game-c runs there as the token, its operation pushed with game-c's name")
  void tcpCarriesRemoteViews() {
    JsonObject bearer = new JsonObject().put("authorization", "Bearer " + BOT_TOKEN);
    try (BridgeClient bridge = BridgeClient.tcp(fleet.vertx(), tcpPort)) {
      bridge.request(Addresses.SNAPSHOT, new JsonObject(), "snap-2", bearer);
      JsonArray views = bridge.awaitAddress("snap-2", PUSH).getJsonObject("body").getJsonArray("services");
      assertThat(qualified(views)).contains(C + "/" + X, B + "/" + LOCKED, DASH + "/" + X);
      bridge.register(Addresses.OPERATION, null);
      bridge.request(Addresses.ACTION, new JsonObject().put("node", C).put("service", X).put("action", "stop"), "act-2", null);
      JsonObject answer = bridge.awaitAddress("act-2", Duration.ofSeconds(180)).getJsonObject("body");
      assertThat(answer.getString("status")).as(answer.encode()).isEqualTo("success");
      assertThat(sandboxes.get(C).activeState(X + ".service")).isEqualTo("inactive");
      assertThat(sandboxes.get(B).activeState(X + ".service")).isEqualTo("active");
      JsonObject operation = bridge.await(f -> Addresses.OPERATION.equals(f.getString("address"))
          && isOperation(f.getJsonObject("body"), C, X, "stop"), PUSH);
      assertThat(operation.getString("type")).isEqualTo("message");
      sandboxes.get(C).systemctlOk("start", X + ".service");
    }
  }

  private static boolean isOperation(JsonObject frame, String node, String service, String action) {
    return node.equals(frame.getString("node")) && service.equals(frame.getString("service")) && action.equals(frame.getString("action"))
        && ("operation".equals(frame.getString("type")) || !frame.containsKey("type"));
  }

  private static boolean isStartFailed(JsonObject frame, String node, String service) {
    return "start_failed".equals(frame.getString("type")) && node.equals(frame.getString("node")) && service.equals(frame.getString("service"));
  }

  /** Frames of this type received so far. */
  private static List<JsonObject> ofType(WsClient ws, String type) {
    return ws.allReceived().stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  /** An action over /ws, on {@code node} (null: the dashboard's own), that must succeed. */
  private static void act(WsClient ws, String id, String node, String service, String action) {
    JsonObject request = new JsonObject().put("type", "action").put("id", id).put("service", service).put("action", action);
    ws.send(node == null ? request : request.put("node", node));
    JsonObject result = ws.await(f -> id.equals(f.getValue("id")), Duration.ofSeconds(180));
    assertThat(result.getString("status")).as(result.encode()).isEqualTo("success");
  }

  @Test
  @Order(8)
  @DisplayName("Actions through the dashboard on game-b, game-c and itself reach its /ws clients as operation frames naming their node, each only to those who see that service on that node")
  void operationsCarryTheirNode() {
    try (WsClient tester = as(TestConfigs.OPERATOR); WsClient limited = as("limited"); WsClient dashOnly = as("dashonly")) {
      for (WsClient ws : List.of(tester, limited, dashOnly)) {
        ws.awaitType("snapshot", PUSH);
      }
      act(tester, "o1", B, LOCKED, "restart");
      JsonObject onB = tester.await(f -> isOperation(f, B, LOCKED, "restart"), PUSH);
      assertThat(onB.getString("user")).isEqualTo(TestConfigs.OPERATOR);
      assertThat(onB.getString("result")).isEqualTo("done");
      act(tester, "o2", C, X, "stop");
      assertThat(limited.await(f -> isOperation(f, C, X, "stop"), PUSH).getString("user")).isEqualTo(TestConfigs.OPERATOR);
      act(tester, "o3", null, X, "stop");
      tester.await(f -> isOperation(f, DASH, X, "stop"), PUSH);
      dashOnly.await(f -> isOperation(f, DASH, X, "stop"), PUSH);
      act(tester, "o4", C, X, "start");
      act(tester, "o5", null, X, "start");
      // Each awaits a frame published after every one it must not get, so the fan-out is past those.
      limited.await(f -> isOperation(f, C, X, "start"), PUSH);
      dashOnly.await(f -> isOperation(f, DASH, X, "start"), PUSH);
      assertThat(ofType(tester, "operation")).extracting(f -> f.getString("node") + "/" + f.getString("service"))
          .contains(B + "/" + LOCKED, C + "/" + X, DASH + "/" + X);
      assertThat(ofType(limited, "operation")).as("game-*/sm-feed-x: game-c's only").isNotEmpty()
          .allSatisfy(f -> assertThat(f.getString("node") + "/" + f.getString("service")).isEqualTo(C + "/" + X));
      assertThat(ofType(dashOnly, "operation")).as("a plain sm-feed-x: the dashboard's own only").isNotEmpty()
          .allSatisfy(f -> assertThat(f.getString("node") + "/" + f.getString("service")).isEqualTo(DASH + "/" + X));
      assertThat(sandboxes.get(B).activeState(LOCKED + ".service")).isEqualTo("active");
      assertThat(sandboxes.get(C).activeState(X + ".service")).isEqualTo("active");
    }
  }

  @Test
  @Order(9)
  @DisplayName("A start on game-b that dies soon after reaches the dashboard's /ws clients as start_failed naming game-b, only those who see that service there")
  void startFailedCarriesItsNode() {
    SystemdSandbox b = sandboxes.get(B);
    try (WsClient tester = as(TestConfigs.OPERATOR); WsClient limited = as("limited"); WsClient dashOnly = as("dashonly")) {
      for (WsClient ws : List.of(tester, limited, dashOnly)) {
        ws.awaitType("snapshot", PUSH);
      }
      b.systemctlOk("stop", X + ".service");
      awaitStatus(tester, B, X, "inactive");
      b.writeUnit(X + ".service", DIES_SOON);
      b.daemonReload();
      act(tester, "f1", B, X, "start");
      JsonObject failed = tester.await(f -> isStartFailed(f, B, X), Duration.ofSeconds(120));
      assertThat(failed.getString("action")).isEqualTo("start");
      assertThat(failed.getString("user")).isEqualTo(TestConfigs.OPERATOR);
      assertThat(failed.getString("message")).isEqualTo("exited with status 1");
      assertThat(limited.await(f -> isStartFailed(f, B, X), PUSH).getString("message")).isEqualTo("exited with status 1");
      act(tester, "f2", null, X, "restart");
      dashOnly.await(f -> isOperation(f, DASH, X, "restart"), PUSH);
      assertThat(ofType(dashOnly, "start_failed")).as("game-b's sm-feed-x is not dashonly's").isEmpty();
    } finally {
      b.writeUnit(X + ".service", FleetFixture.SLEEPER);
      b.daemonReload();
      b.systemctl("reset-failed", X + ".service");
      b.systemctlOk("start", X + ".service");
    }
  }

  @Test
  @Order(10)
  @DisplayName("kill -9 of game-b pushes its services unreachable (never a remembered active); on its return, their true state")
  void nodeLossAndReturnPushed() throws Exception {
    try (WsClient ws = as(TestConfigs.OPERATOR)) {
      ws.awaitType("snapshot", PUSH);
      long killed = System.nanoTime();
      fleet.process(B).kill9();
      JsonObject lost = awaitStatus(ws, B, X, "unreachable");
      System.out.printf("game-b's views pushed unreachable %d ms after kill -9%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
      assertThat(lost.getValue("active_state")).isNull();
      assertThat(lost.getValue("main_pid")).isNull();
      awaitStatus(ws, B, LOCKED, "unreachable");
      // What came before the loss (the last test's restart of game-b's unit may still be arriving) is not in question.
      List<JsonObject> before = ws.allReceived();
      int atLoss = IntStream.range(0, before.size()).filter(i -> isStatus(before.get(i), B, X, "unreachable")).findFirst().orElseThrow();

      // While game-b is away its unit stops; when it is back the dashboard pushes that, not what it had.
      sandboxes.get(B).systemctlOk("stop", X + ".service");
      fleet.restart(B);
      assertThat(awaitStatus(ws, B, X, "inactive").getValue("active_state")).isEqualTo("inactive");
      awaitStatus(ws, B, LOCKED, "active");
      List<JsonObject> received = ws.allReceived();
      assertThat(received.subList(atLoss, received.size())).as("between loss and return nothing of game-b said active")
          .filteredOn(f -> isStatus(f, B, X, "active")).isEmpty();
    }
  }
}
