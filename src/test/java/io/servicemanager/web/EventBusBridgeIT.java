package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.auth.Tokens;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.testing.BridgeClient;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event-bus bridges as integrations use them, on a real systemd: a client of SockJS's raw
 * WebSocket transport at /eventbus/websocket and a client of the TCP bridge's framing, each
 * subscribing, asking for snapshots and acting — and seeing only what its identity may.
 */
class EventBusBridgeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** Restarted many times within seconds here: no start limit. */
  private static final String ONESHOT =
      "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n";
  private static final String ALICE_PASSWORD = "alice-password";
  private static final String VICTOR_PASSWORD = "victor-password";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("mine.service", ONESHOT)
      .withUnit("theirs.service", ONESHOT)
      .withUnit("hidden.service", ONESHOT);

  static Vertx vertx;
  static AppConfig config;
  static Application app;
  static WebClient http;
  static String botToken;
  /** users.yaml lines under {@code users:} besides the test operator; tokens last. */
  static List<String> users;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    botToken = Tokens.newToken();
    config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.bridge = new AppConfig.Bridge(0, "127.0.0.1"));
    users = List.of(
        "  alice:", "    password: \"" + PasswordHash.hash(ALICE_PASSWORD.toCharArray()) + "\"",
        "    role: operator", "    services: [mine]",
        "  victor:", "    password: \"" + PasswordHash.hash(VICTOR_PASSWORD.toCharArray()) + "\"",
        "    role: viewer",
        "tokens:", "  bot:", "    sha256: \"" + Tokens.sha256Hex(botToken) + "\"", "    role: operator",
        "    services: [mine]");
    TestConfigs.writeUsers(config.auth().usersFile(), users.toArray(String[]::new));
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("mine", "mine.service", "Mine", "alice's", Permission.ALL, true),
        new ServiceDefinition("theirs", "theirs.service", "Theirs", "not alice's", Permission.ALL, true),
        new ServiceDefinition("hidden", "hidden.service", "Hidden", "state never shown", Permission.ALL, false))))
        .await();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static MultiMap headers(String authorization) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    return authorization == null ? headers : headers.add("Authorization", authorization);
  }

  static BridgeClient sockJs(MultiMap headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions();
    headers.forEach(options::addHeader);
    return BridgeClient.sockJs(vertx, app.httpPort(), options);
  }

  static BridgeClient alice() {
    return sockJs(headers(TestConfigs.basic("alice", ALICE_PASSWORD)));
  }

  static BridgeClient tcp() {
    return BridgeClient.tcp(vertx, app.tcpBridgePort());
  }

  static JsonObject bearer(String token) {
    return new JsonObject().put("authorization", "Bearer " + token);
  }

  /** As the unrestricted test operator, over REST; answers once systemd's job is done. */
  static void act(String service, String action) {
    var response = TestConfigs.client(vertx)
        .request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/" + service + "/" + action).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  /** The newest recorded operation (the insight database, shared by every application on this config). */
  static JsonObject lastHistoryLine() {
    return app.operations().query(OperationQuery.newest(1)).await().entries().get(0);
  }

  static JsonObject action(String service, String verb) {
    return new JsonObject().put("service", service).put("action", verb);
  }

  static boolean isOperation(JsonObject frame, String service) {
    return Addresses.OPERATION.equals(frame.getString("address")) && frame.getValue("body") instanceof JsonObject body
        && service.equals(body.getString("service"));
  }

  // ---- SockJS ----------------------------------------------------------------------------------

  @Nested
  @DisplayName("SockJS bridge at /eventbus")
  class SockJs {
    @Test
    @DisplayName("An operator registers servicemanager.status and receives a real status change; its action's reply is systemd's verdict, recorded under the authenticated name whatever the body says")
    void subscribeAndAct() throws Exception {
      List<String> stamped = new CopyOnWriteArrayList<>();
      MessageConsumer<JsonObject> onBus = vertx.eventBus().consumer(Addresses.STATUS, m -> {
        if (m.headers().contains(Addresses.SIGNAL_RECEIVED_NANOS)) {
          stamped.add(m.body().getString("name"));
        }
      });
      try (BridgeClient bridge = alice()) {
        bridge.register(Addresses.STATUS, null).register(Addresses.OPERATION, null);
        JsonObject forged = action("mine", "restart").put("user", "mallory")
            .put("identity", new JsonObject().put("name", "mallory").put("role", "operator").putNull("services"));
        bridge.request(Addresses.ACTION, forged, "reply-1", null);

        JsonObject reply = bridge.awaitAddress("reply-1", WAIT);
        assertThat(reply.getString("type")).isEqualTo("rec");
        assertThat(reply.getJsonObject("body").getString("status")).as(reply.encode()).isEqualTo("success");
        assertThat(reply.getJsonObject("body").getString("result")).isEqualTo("done");
        JsonObject status = bridge.awaitStatus("mine", "active", WAIT);
        assertThat(status.getJsonObject("body").getJsonArray("allowed_actions")).containsExactly("start", "stop", "restart");
        assertThat(status.containsKey("headers")).as("internal headers stay inside: " + status.encode()).isFalse();
        JsonObject operation = bridge.await(f -> isOperation(f, "mine"), WAIT);
        assertThat(operation.getJsonObject("body").getString("user")).isEqualTo("alice");
        assertThat(lastHistoryLine().getString("user")).isEqualTo("alice");
        assertThat(systemd.activeState("mine.service")).isEqualTo("active");
        assertThat(stamped).as("on the bus the same changes carried the internal header").contains("mine");
      } finally {
        onBus.unregister().await();
      }
    }

    @Test
    @DisplayName("Each publication reaches a registered client once: the fan-out writes it, the library's own copy never follows")
    void eachPublicationOnce() {
      try (BridgeClient bridge = alice()) {
        bridge.register(Addresses.OPERATION, null);
        // Registered once the server answers a request sent after the register frame.
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "once-0", null);
        bridge.awaitAddress("once-0", WAIT);
        act("mine", "restart");
        bridge.await(f -> isOperation(f, "mine"), WAIT);
        // Both copies would be written on the same loop before this request's reply.
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "once-1", null);
        bridge.awaitAddress("once-1", WAIT);
        assertThat(bridge.allReceived()).filteredOn(f -> isOperation(f, "mine")).hasSize(1);
      }
    }

    @Test
    @DisplayName("The dashboard's session cookie opens the bridge from the server's own page, never from a foreign one")
    void sessionCookie() {
      var login = http.post(app.httpPort(), "127.0.0.1", "/api/login")
          .sendJsonObject(new JsonObject().put("user", "alice").put("password", ALICE_PASSWORD)).await();
      assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
      String setCookie = login.getHeader("Set-Cookie");
      MultiMap cookie = headers(null).add("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
      try (BridgeClient bridge = sockJs(MultiMap.caseInsensitiveMultiMap().addAll(cookie)
          .add("Origin", "http://127.0.0.1:" + app.httpPort()))) {
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "c-1", null);
        JsonArray services = bridge.awaitAddress("c-1", WAIT).getJsonObject("body").getJsonArray("services");
        assertThat(services).hasSize(1);
        assertThat(services.getJsonObject(0).getString("name")).isEqualTo("mine");
      }
      assertThatThrownBy(() -> sockJs(cookie.add("Origin", "http://evil.example")).close())
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
    }

    @Test
    @DisplayName("A request whose reply address is one of the server's addresses is refused")
    void replyAddressOfOurs() {
      try (BridgeClient bridge = alice()) {
        bridge.register(Addresses.STATUS, null);
        bridge.request(Addresses.ACTION, action("mine", "restart"), Addresses.STATUS, null);
        assertThat(bridge.awaitError(WAIT).getString("body")).isEqualTo("rejected");
      }
    }

    @Test
    @DisplayName("A snapshot request is answered with the identity's services only, with its allowed actions")
    void snapshotForTheIdentity() {
      try (BridgeClient bridge = alice(); BridgeClient viewer = sockJs(headers(TestConfigs.basic("victor", VICTOR_PASSWORD)))) {
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "snap-1", null);
        JsonArray services = bridge.awaitAddress("snap-1", WAIT).getJsonObject("body").getJsonArray("services");
        assertThat(services).hasSize(1);
        assertThat(services.getJsonObject(0).getString("name")).isEqualTo("mine");
        assertThat(services.getJsonObject(0).getJsonArray("allowed_actions")).containsExactly("start", "stop", "restart");

        viewer.request(Addresses.SNAPSHOT, new JsonObject(), "snap-2", null);
        JsonArray all = viewer.awaitAddress("snap-2", WAIT).getJsonObject("body").getJsonArray("services");
        assertThat(all).hasSize(3).allSatisfy(v -> assertThat(((JsonObject) v).getJsonArray("allowed_actions")).isEmpty());
        assertThat(all.stream().map(JsonObject.class::cast).filter(v -> v.getString("name").equals("hidden")))
            .singleElement().satisfies(v -> assertThat(v.getValue("status")).isNull());
      }
    }

    @Test
    @DisplayName("A viewer receives statuses without actions and its action is refused as forbidden")
    void viewerCannotAct() {
      try (BridgeClient viewer = sockJs(headers(TestConfigs.basic("victor", VICTOR_PASSWORD)))) {
        viewer.register(Addresses.STATUS, null);
        viewer.request(Addresses.ACTION, action("mine", "stop"), "v-1", null);
        JsonObject refused = viewer.awaitAddress("v-1", WAIT).getJsonObject("body");
        assertThat(refused.getString("status")).isEqualTo("error");
        assertThat(refused.getString("code")).isEqualTo("forbidden");

        act("theirs", "restart");
        JsonObject status = viewer.awaitStatus("theirs", "active", WAIT);
        assertThat(status.getJsonObject("body").getJsonArray("allowed_actions")).isEmpty();
      }
    }

    @Test
    @DisplayName("A foreign service and a hidden one are never received: no status, no operation, nothing naming them")
    void foreignAndHiddenNeverReceived() {
      act("theirs", "start"); // so that stopping it is a change, whatever ran before
      try (BridgeClient bridge = alice(); BridgeClient everything = sockJs(headers(TestConfigs.operatorBasic()))) {
        for (BridgeClient client : List.of(bridge, everything)) {
          client.register(Addresses.STATUS, null).register(Addresses.OPERATION, null);
        }
        // Registration is confirmed by nothing on the wire: a snapshot answered later shows it is in place.
        for (BridgeClient client : List.of(bridge, everything)) {
          client.request(Addresses.SNAPSHOT, new JsonObject(), "ready", null).awaitAddress("ready", WAIT);
        }
        act("theirs", "stop");
        act("hidden", "restart");
        everything.await(f -> isOperation(f, "theirs"), WAIT);
        everything.awaitStatus("theirs", "inactive", WAIT);
        everything.await(f -> isOperation(f, "hidden"), WAIT);
        // Mine last: once its operation reached alice, the others had their chance to leak.
        act("mine", "restart");
        bridge.await(f -> isOperation(f, "mine"), WAIT);
        everything.await(f -> isOperation(f, "mine"), WAIT);

        assertThat(bridge.allReceived()).isNotEmpty()
            .noneMatch(f -> f.encode().contains("theirs") || f.encode().contains("hidden"));
        assertThat(everything.allReceived())
            .as("the hidden service's state reaches nobody, not even an identity that sees every service")
            .noneMatch(f -> Addresses.STATUS.equals(f.getString("address"))
                && "hidden".equals(f.getJsonObject("body").getString("name")));
      }
    }

    @Test
    @DisplayName("Sending to servicemanager.config, publishing to servicemanager.action and registering servicemanager.users are refused, and nothing reaches the bus")
    void forbiddenAddresses() {
      List<Object> onBus = new CopyOnWriteArrayList<>();
      MessageConsumer<Object> config = vertx.eventBus().consumer(Addresses.CONFIG, m -> onBus.add(m.body()));
      MessageConsumer<Object> users = vertx.eventBus().consumer("servicemanager.anything", m -> onBus.add(m.body()));
      try (BridgeClient bridge = sockJs(headers(TestConfigs.operatorBasic()))) {
        bridge.send(new JsonObject().put("type", "send").put("address", Addresses.CONFIG)
            .put("body", new JsonObject().put("services", new JsonObject())));
        assertThat(bridge.awaitError(WAIT).getString("body")).isIn("rejected", "access_denied");
        bridge.send(new JsonObject().put("type", "publish").put("address", Addresses.ACTION).put("body", action("mine", "stop")));
        assertThat(bridge.awaitError(WAIT).getString("body")).isIn("rejected", "access_denied");
        bridge.send(new JsonObject().put("type", "send").put("address", "servicemanager.anything").put("body", "x"));
        assertThat(bridge.awaitError(WAIT).getString("body")).isIn("rejected", "access_denied");
        bridge.register(Addresses.USERS, null);
        assertThat(bridge.awaitError(WAIT).getString("body")).isIn("rejected", "access_denied");
        // Frames are handled in order: once a later request is answered, the refused ones are settled.
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "after", null).awaitAddress("after", WAIT);
        assertThat(onBus).isEmpty();
        assertThat(systemd.activeState("mine.service")).as("the published stop did not happen").isNotEqualTo("inactive");
      } finally {
        config.unregister().await();
        users.unregister().await();
      }
    }

    @Test
    @DisplayName("Without credentials, with wrong ones, or from a foreign Origin the bridge is refused before the upgrade (401, 401, 403), and its other transports too")
    void unauthenticatedRefused() {
      for (String authorization : new String[] {null, TestConfigs.basic("alice", "wrong"), "Bearer nope"}) {
        assertThatThrownBy(() -> sockJs(headers(authorization)).close())
            .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
      }
      MultiMap foreign = headers(TestConfigs.operatorBasic()).add("Origin", "http://evil.example");
      assertThatThrownBy(() -> sockJs(foreign).close())
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
      // /info carries no data and answers anyone (SockJsTransportsIT); the transports do not.
      var streaming = http.post(app.httpPort(), "127.0.0.1", "/eventbus/000/abcdefgh/xhr_streaming").send().await();
      assertThat(streaming.statusCode()).isEqualTo(401);
      var xhr = http.post(app.httpPort(), "127.0.0.1", "/eventbus/000/abcdefgh/xhr").send().await();
      assertThat(xhr.statusCode()).isEqualTo(401);
      var allowed = http.get(app.httpPort(), "127.0.0.1", "/eventbus/info")
          .putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.bodyAsJsonObject().getBoolean("websocket")).isTrue();
    }

    @Test
    @DisplayName("A bearer token opens the bridge as token:NAME, limited to its services")
    void tokenOverSockJs() {
      try (BridgeClient bot = sockJs(headers("Bearer " + botToken))) {
        bot.request(Addresses.ACTION, action("theirs", "restart"), "t-1", null);
        assertThat(bot.awaitAddress("t-1", WAIT).getJsonObject("body").getString("code")).isEqualTo("unknown_service");
      }
    }
  }

  @Nested
  @DisplayName("Both bridges")
  class Both {
    @Test
    @DisplayName("A change of the users file closes every bridge connection: clients reconnect under the new rights")
    void usersChangeClosesConnections() {
      try (BridgeClient sockJs = alice(); BridgeClient tcp = tcp()) {
        sockJs.request(Addresses.SNAPSHOT, new JsonObject(), "u-1", null).awaitAddress("u-1", WAIT);
        tcp.request(Addresses.SNAPSHOT, new JsonObject(), "u-2", bearer(botToken)).awaitAddress("u-2", WAIT);
        List<String> more = new java.util.ArrayList<>(users);
        more.addAll(0, List.of("  carol:", "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: viewer"));
        TestConfigs.writeUsers(config.auth().usersFile(), more.toArray(String[]::new));
        sockJs.awaitClosed(WAIT);
        tcp.awaitClosed(WAIT);
      }
    }
  }

  @Test
  @DisplayName("Under anonymous: viewer a SockJS client without credentials sees every service and may not act; the TCP bridge still needs a token")
  void anonymousViewer() {
    Vertx own = Vertx.vertx();
    try {
      AppConfig base = TestConfigs.forBus(systemd.busAddress()).with(b -> b.bridge = new AppConfig.Bridge(0, "127.0.0.1"));
      Application server = Application.deploy(own, base.with(b -> b.auth = new AppConfig.Auth(base.auth().usersFile(),
          base.auth().secretFile(), true)), new ServiceCatalogue(List.of(
              new ServiceDefinition("mine", "mine.service", "Mine", "alice's", Permission.ALL, true)))).await();
      try (BridgeClient anonymous = BridgeClient.sockJs(own, server.httpPort(), new WebSocketConnectOptions());
          BridgeClient tcp = BridgeClient.tcp(own, server.tcpBridgePort())) {
        anonymous.request(Addresses.SNAPSHOT, new JsonObject(), "a-1", null);
        JsonArray services = anonymous.awaitAddress("a-1", WAIT).getJsonObject("body").getJsonArray("services");
        assertThat(services).hasSize(1);
        assertThat(services.getJsonObject(0).getJsonArray("allowed_actions")).isEmpty();
        anonymous.request(Addresses.ACTION, action("mine", "restart"), "a-2", null);
        assertThat(anonymous.awaitAddress("a-2", WAIT).getJsonObject("body").getString("code")).isEqualTo("forbidden");
        tcp.request(Addresses.SNAPSHOT, new JsonObject(), "a-3", null);
        assertThat(tcp.awaitError(WAIT).getString("message")).startsWith("unauthorized");
      }
    } finally {
      own.close().await();
    }
  }

  // ---- TCP -------------------------------------------------------------------------------------

  @Nested
  @DisplayName("TCP bridge")
  class Tcp {
    @Test
    @DisplayName("With a valid token a client registers, receives a real status change of its service and acts as token:NAME")
    void tokenSubscribesAndActs() throws Exception {
      act("mine", "start"); // so that stopping it is a change, whatever ran before
      try (BridgeClient bridge = tcp()) {
        bridge.register(Addresses.STATUS, bearer(botToken)).register(Addresses.OPERATION, null);
        bridge.request(Addresses.ACTION, action("mine", "stop").put("user", "mallory"), "r-1", bearer(botToken));
        JsonObject reply = bridge.awaitAddress("r-1", WAIT);
        assertThat(reply.getString("type")).isEqualTo("message");
        assertThat(reply.getJsonObject("body").getString("status")).as(reply.encode()).isEqualTo("success");
        JsonObject status = bridge.awaitStatus("mine", "inactive", WAIT);
        assertThat(status.getString("type")).isEqualTo("message");
        assertThat(status.containsKey("headers")).as("internal headers stay inside: " + status.encode()).isFalse();
        // The stop's operation: the start's (by the test's own user, just before) is answered before it
        // is published, so it may still reach the bridge after the register.
        assertThat(bridge.await(f -> isOperation(f, "mine") && "stop".equals(f.getJsonObject("body").getString("action")),
            WAIT).getJsonObject("body").getString("user")).isEqualTo("token:bot");
        assertThat(lastHistoryLine().getString("user")).isEqualTo("token:bot");

        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "s-1", null);
        JsonArray services = bridge.awaitAddress("s-1", WAIT).getJsonObject("body").getJsonArray("services");
        assertThat(services).hasSize(1);
        assertThat(services.getJsonObject(0).getString("name")).isEqualTo("mine");

        act("theirs", "restart");
        act("mine", "start");
        bridge.await(f -> isOperation(f, "mine") && "start".equals(f.getJsonObject("body").getString("action")), WAIT);
        assertThat(bridge.allReceived()).noneMatch(f -> f.encode().contains("theirs") || f.encode().contains("hidden"));
      }
    }

    @Test
    @DisplayName("Without a token every frame but ping is refused as unauthorized and nothing is delivered; a wrong token closes the connection")
    void noOrBadTokenRefused() {
      try (BridgeClient bridge = tcp()) {
        bridge.send(new JsonObject().put("type", "ping"));
        bridge.await(f -> "pong".equals(f.getString("type")), WAIT);
        bridge.register(Addresses.STATUS, null);
        assertThat(bridge.awaitError(WAIT).getString("message")).startsWith("unauthorized");
        bridge.request(Addresses.ACTION, action("mine", "stop"), "x-1", null);
        assertThat(bridge.awaitError(WAIT).getString("message")).startsWith("unauthorized");
        act("mine", "restart");
        bridge.send(new JsonObject().put("type", "ping"));
        bridge.await(f -> "pong".equals(f.getString("type")), WAIT);
        assertThat(bridge.allReceived()).noneMatch(f -> f.containsKey("address"));
      }
      try (BridgeClient bridge = tcp()) {
        bridge.register(Addresses.STATUS, bearer("smt_not-a-token"));
        assertThat(bridge.awaitError(WAIT).getString("message")).startsWith("unauthorized");
        bridge.awaitClosed(WAIT);
      }
    }

    @Test
    @DisplayName("With a valid token, sending to servicemanager.config, registering servicemanager.users and publishing are refused as access_denied")
    void forbiddenAddresses() {
      List<Object> onBus = new CopyOnWriteArrayList<>();
      MessageConsumer<Object> config = vertx.eventBus().consumer(Addresses.CONFIG, m -> onBus.add(m.body()));
      try (BridgeClient bridge = tcp()) {
        bridge.send(new JsonObject().put("type", "send").put("address", Addresses.CONFIG)
            .put("body", new JsonObject().put("services", new JsonObject())).put("headers", bearer(botToken)));
        assertThat(bridge.awaitError(WAIT).getString("message")).isEqualTo("access_denied");
        bridge.register(Addresses.USERS, null);
        assertThat(bridge.awaitError(WAIT).getString("message")).isEqualTo("access_denied");
        bridge.send(new JsonObject().put("type", "publish").put("address", Addresses.ACTION).put("body", action("mine", "stop")));
        assertThat(bridge.awaitError(WAIT).getString("message")).isEqualTo("access_denied");
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "after", bearer("smt_another-token"));
        assertThat(bridge.awaitError(WAIT).getString("message")).as("a connection keeps its token").startsWith("unauthorized");
        bridge.request(Addresses.SNAPSHOT, new JsonObject(), "after", null).awaitAddress("after", WAIT);
        assertThat(onBus).isEmpty();
      } finally {
        config.unregister().await();
      }
    }

    @Test
    @DisplayName("A frame announcing more than 64 KiB is refused and the connection closed before anything is buffered")
    void oversizedFrame() {
      try (BridgeClient bridge = tcp()) {
        bridge.send(new JsonObject().put("type", "ping").put("pad", "x".repeat(70_000)));
        assertThat(bridge.awaitError(WAIT).getString("message")).startsWith("frame_too_large");
        bridge.awaitClosed(WAIT);
      }
    }
  }
}
