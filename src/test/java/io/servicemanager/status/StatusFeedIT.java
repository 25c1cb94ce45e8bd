package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live status feed, end to end: real systemd → D-Bus → StatusVerticle → REST and /ws. The units
 * prepared before all tests keep their states; a test that changes a state does it on units of its own.
 */
class StatusFeedIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension(
      "units/sleeper.service", "units/exits-one.service", "units/crash-later.service")
      .withUnit("crashes.service", "[Service]\nType=simple\nExecStart=/bin/sh -c 'sleep 0.5; exit 1'\n")
      .withUnit("steady.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("survivor.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;

  @BeforeAll
  static void deploy() {
    // Prepare the initial states: sleeper running, exits-one failed, crash-later inactive.
    systemd.sandbox().systemctl("start", "sleeper.service");
    systemd.sandbox().systemctl("start", "exits-one.service");
    systemd.sandbox().awaitActiveState("exits-one.service", "failed", WAIT);
    vertx = Vertx.vertx();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        service("sleeper", Permission.ALL, true),
        service("exits-one", Permission.ALL, true),
        service("crash-later", Permission.ALL, true),
        service("ghost", Permission.ALL, true),
        service("secret", "sleeper.service", false),
        service("crashes", Permission.ALL, true),
        service("late", Permission.ALL, true),
        service("steady", Permission.ALL, true),
        service("survivor", Permission.ALL, true)));
    AppConfig config = TestConfigs.forBus(systemd.sandbox().busAddress());
    app = Application.deploy(vertx, config, services).await();
    http = TestConfigs.client(vertx);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static ServiceDefinition service(String name, Permission permission, boolean visible) {
    return new ServiceDefinition(name, name + ".service", name + " display", name + " description",
        permission, visible);
  }

  static ServiceDefinition service(String name, String unit, boolean visible) {
    return new ServiceDefinition(name, unit, name, name, Permission.RESTART, visible);
  }

  static JsonObject get(String uri, int expectedStatus) {
    var response = http.request(HttpMethod.GET, app.httpPort(), "127.0.0.1", uri).send().await();
    assertThat(response.statusCode()).as("GET %s: %s", uri, response.bodyAsString()).isEqualTo(expectedStatus);
    return response.bodyAsJsonObject();
  }

  static JsonObject view(JsonArray services, String name) {
    return services.stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("name").equals(name)).findFirst().orElseThrow();
  }

  /** Every state known, and the details (PID, since) of a running unit read too. */
  static boolean settled(JsonObject view) {
    return !"checking".equals(view.getString("status"))
        && !("active".equals(view.getString("status")) && view.getValue("main_pid") == null);
  }

  /** /api/services once every view is settled: a /ws client waits for the push that settles each one still open. */
  static JsonArray settledSnapshot() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonArray snapshot = ws.awaitType("snapshot", WAIT).getJsonArray("services");
      snapshot.stream().map(JsonObject.class::cast).filter(v -> !settled(v)).map(v -> v.getString("name"))
          .forEach(name -> ws.await(f -> "status".equals(f.getString("type"))
              && name.equals(f.getJsonObject("service").getString("name")) && settled(f.getJsonObject("service")), WAIT));
    }
    JsonArray services = get("/api/services", 200).getJsonArray("services");
    assertThat(services).allSatisfy(v -> assertThat(settled((JsonObject) v)).as("settled: %s", v).isTrue());
    return services;
  }

  @Test
  @DisplayName("The first read shows each unit's true state: active, failed, inactive, and error for a unit that does not exist")
  void initialStates() {
    JsonArray services = settledSnapshot();
    assertThat(view(services, "sleeper").getString("status")).isEqualTo("active");
    assertThat(view(services, "sleeper").getString("sub_state")).isEqualTo("running");
    assertThat(view(services, "sleeper").getLong("main_pid")).isPositive();
    assertThat(view(services, "sleeper").getString("since")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(view(services, "exits-one").getString("status")).isEqualTo("failed");
    assertThat(view(services, "crash-later").getString("status")).isEqualTo("inactive");
    assertThat(view(services, "ghost").getString("status")).isEqualTo("error");
    assertThat(get("/api/services/sleeper", 200)).isEqualTo(view(services, "sleeper"));
    assertThat(get("/api/health", 200)).isEqualTo(new JsonObject().put("status", "UP").put("dbus", "connected"));
  }

  @Test
  @DisplayName("A /ws upgrade that offers permessage-deflate is accepted without it: frames go out uncompressed, with no deflater kept per client")
  void noWebSocketCompression() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.httpPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + app.httpPort() + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
          + "Authorization: " + TestConfigs.operatorBasic() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 101");
      List<String> headers = new java.util.ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        headers.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(headers).contains("upgrade: websocket").noneMatch(h -> h.startsWith("sec-websocket-extensions"));
    }
  }

  @Test
  @DisplayName("A hidden service is listed with every state field null, in REST and in the /ws snapshot")
  void hiddenInAnswers() {
    JsonObject secret = get("/api/services/secret", 200);
    for (String field : List.of("status", "active_state", "sub_state", "since", "main_pid", "last_check")) {
      assertThat(secret.getValue(field)).as(field).isNull();
    }
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonObject snapshot = ws.awaitType("snapshot", WAIT);
      JsonObject hidden = view(snapshot.getJsonArray("services"), "secret");
      assertThat(hidden.getValue("status")).isNull();
      assertThat(hidden.getValue("main_pid")).isNull();
    }
  }

  @Test
  @DisplayName("An unknown service is 404 unknown_service, and an unknown API route is a JSON 404")
  void unknownService() {
    assertThat(get("/api/services/nope", 404).getString("error")).isEqualTo("unknown_service");
    assertThat(get("/api/nothing-here", 404).getString("error")).isEqualTo("not_found");
  }

  @Test
  @DisplayName("/ws pushes stop and start as they happen, once per change, and never a word about the hidden service on the same unit")
  void pushesStopAndStart() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      systemd.sandbox().systemctl("stop", "sleeper.service");
      ws.awaitStatus("sleeper", "inactive", WAIT);
      systemd.sandbox().systemctl("start", "sleeper.service");
      JsonObject active = ws.awaitStatus("sleeper", "active", WAIT).getJsonObject("service");
      assertThat(active.getLong("main_pid")).isPositive();

      // Ping round trip: every frame the server sent before the pong is in.
      ws.send(new JsonObject().put("type", "ping"));
      ws.awaitType("pong", WAIT);
      List<JsonObject> statuses = ws.allReceived().stream()
          .filter(f -> "status".equals(f.getString("type"))).toList();
      assertThat(statuses).noneMatch(f -> f.getJsonObject("service").getString("name").equals("secret"));
      // De-duplicated: no two consecutive pushes for one service carry the same view.
      for (int i = 1; i < statuses.size(); i++) {
        JsonObject a = ServiceView.withoutCheckTime(statuses.get(i - 1).getJsonObject("service"));
        JsonObject b = ServiceView.withoutCheckTime(statuses.get(i).getJsonObject("service"));
        assertThat(b).as("push %d repeats push %d", i, i - 1).isNotEqualTo(a);
      }
    }
  }

  @Test
  @DisplayName("A unit that crashes after starting is pushed as active, then failed")
  void crashPushedAsFailed() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      systemd.sandbox().systemctl("start", "crashes.service");
      ws.awaitStatus("crashes", "active", WAIT);
      ws.awaitStatus("crashes", "failed", WAIT);
    }
  }

  @Test
  @DisplayName("A unit added later turns from error to live after daemon-reload, and state survives the reload")
  void appearsAfterDaemonReload() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      assertThat(view(ws.awaitType("snapshot", WAIT).getJsonArray("services"), "late").getString("status"))
          .isEqualTo("error");
      systemd.sandbox().systemctl("start", "steady.service");
      ws.awaitStatus("steady", "active", WAIT);
      systemd.sandbox().writeUnit("late.service", "[Service]\nExecStart=/bin/sleep 400\n");
      systemd.sandbox().daemonReload();
      ws.awaitStatus("late", "inactive", WAIT);
      systemd.sandbox().systemctl("start", "late.service");
      ws.awaitStatus("late", "active", WAIT);
      systemd.sandbox().daemonReload();
      systemd.sandbox().systemctl("stop", "steady.service");
      ws.awaitStatus("steady", "inactive", WAIT);
    }
  }

  @Test
  @DisplayName("/ws answers malformed and unknown frames with an error and stays open")
  void malformedFrames() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      for (String bad : List.of("not json", "[1,2]", "{}", "{\"type\":42}", "{\"type\":\"dance\"}",
          "{\"type\":\"action\",\"service\":7}")) {
        ws.sendText(bad);
        JsonObject error = ws.awaitType("error", WAIT);
        assertThat(error.getString("code")).as(bad).isEqualTo("bad_request");
        assertThat(error.getString("message")).as(bad).isNotBlank();
      }
      ws.send(new JsonObject().put("type", "ping"));
      ws.awaitType("pong", WAIT);
      assertThat(ws.closeStatus()).isNull();
    }
  }

  @Test
  @DisplayName("A frame over the size limit closes the connection with 1009")
  void oversizedFrame() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      ws.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}");
      assertThat(ws.awaitClose(WAIT)).isEqualTo((short) 1009);
    }
  }

  @Test
  @DisplayName("Killing the bus daemon turns every status error at once, health DOWN, then back to the true state")
  void busLossAndRecovery() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      systemd.sandbox().systemctl("start", "survivor.service");
      ws.awaitStatus("survivor", "active", WAIT);
      systemd.sandbox().killBusDaemon();
      ws.awaitStatus("survivor", "error", WAIT);
      ws.awaitStatus("exits-one", "error", WAIT);
      ws.awaitStatus("survivor", "active", Duration.ofSeconds(20));
      ws.awaitStatus("exits-one", "failed", WAIT);
      assertThat(get("/api/health", 200).getString("dbus")).isEqualTo("connected");
      // Still following after the reconnect: Subscribe and handlers were redone.
      systemd.sandbox().systemctl("stop", "survivor.service");
      ws.awaitStatus("survivor", "inactive", WAIT);
      assertThat(ws.allReceived()).noneMatch(f -> "status".equals(f.getString("type"))
          && f.getJsonObject("service").getString("name").equals("secret"));
    }
  }
}
