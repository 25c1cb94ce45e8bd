package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.systemd.Action;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.testing.CountingSystemdClient;
import io.servicemanager.testing.Signal;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Actions on a real systemd: the permission table row by row, systemd's true results, concurrency. */
class ActionIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String SLEEP = "[Service]\nExecStart=/bin/sleep 400\n";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/exits-one.service")
      .withUnit("lvl-restart.service", SLEEP)
      .withUnit("lvl-start.service", SLEEP)
      .withUnit("lvl-stop.service", SLEEP)
      .withUnit("lvl-all.service", SLEEP)
      // Each start waits for the file busy-gate in the manager's runtime directory: a test holds a job open with it.
      // A oneshot is judged at once (no settle): a thousand mixed requests queue a few hundred jobs.
      .withUnit("busy.service", "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\n"
          + "ExecStartPre=/bin/sh -c 'until [ -e %t/busy-gate ]; do sleep 0.05; done'\nExecStart=/bin/true\n")
      .withUnit("slow-start.service", "[Service]\nType=notify\nExecStart=/bin/sleep 400\nTimeoutStartSec=1\n")
      .withUnit("broken-dep.service", "[Service]\nType=oneshot\nExecStart=/bin/false\n")
      .withUnit("needs-broken.service",
          "[Unit]\nRequires=broken-dep.service\nAfter=broken-dep.service\n[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("oneshot-ok.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n")
      .withUnit("redefined.service", "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;
  static CountingSystemdClient actions;
  static final List<JsonObject> operations = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final Signal operationPublished = new Signal();

  @BeforeAll
  static void deploy() throws TimeoutException {
    vertx = Vertx.vertx();
    List<ServiceDefinition> defs = new ArrayList<>();
    for (Permission p : Permission.values()) {
      defs.add(new ServiceDefinition("lvl-" + p.value(), "lvl-" + p.value() + ".service", p.value(), "level " + p.value(), p, true));
    }
    defs.add(new ServiceDefinition("exits-one", "exits-one.service", "Exits 1", "Type=simple /bin/false", Permission.ALL, true));
    defs.add(new ServiceDefinition("slow-start", "slow-start.service", "Slow", "never notifies", Permission.ALL, true));
    defs.add(new ServiceDefinition("needs-broken", "needs-broken.service", "Needs broken", "dependency fails", Permission.ALL, true));
    defs.add(new ServiceDefinition("busy", "busy.service", "Busy", "concurrency", Permission.ALL, true));
    defs.add(new ServiceDefinition("redefined", "redefined.service", "Redefined", "changed by daemon-reload", Permission.ALL, true));
    defs.add(new ServiceDefinition("oneshot-ok", "oneshot-ok.service", "Oneshot", "oneshot", Permission.ALL, true));
    defs.add(new ServiceDefinition("hidden-crash", "exits-one.service", "Hidden", "status hidden", Permission.ALL, false));
    defs.add(new ServiceDefinition("ghost", "ghost.service", "Ghost", "no unit file", Permission.ALL, true));
    actions = new CountingSystemdClient(new DbusSystemdClient(vertx, systemd.busAddress()));
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    app = Application.deploy(vertx, config, new ServiceCatalogue(defs),
        new DbusSystemdClient(vertx, systemd.busAddress()), actions).await();
    vertx.eventBus().<JsonObject>consumer(io.servicemanager.Addresses.OPERATION, m -> {
      operations.add(m.body());
      operationPublished.signal();
    });
    http = TestConfigs.client(vertx);
    awaitConnected();
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static void awaitConnected() throws TimeoutException {
    actions.firstConnection().await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static HttpResponse<Buffer> post(String service, String action) {
    String uri = "/api/services/" + URLEncoder.encode(service, StandardCharsets.UTF_8).replace("+", "%20")
        + "/" + URLEncoder.encode(action, StandardCharsets.UTF_8);
    return http.post(app.httpPort(), "127.0.0.1", uri).send().await();
  }

  static String state(String unit) {
    return systemd.sandbox().activeState(unit);
  }

  static String mainPid(String unit) {
    return systemd.sandbox().property(unit, "MainPID");
  }

  static Arguments[] permissionTable() {
    List<Arguments> rows = new ArrayList<>();
    for (Permission p : Permission.values()) {
      for (Action action : Action.values()) {
        rows.add(Arguments.of(p, action.word(), p.allows(action)));
      }
    }
    return rows.toArray(Arguments[]::new);
  }

  @ParameterizedTest(name = "{0} × {1} → allowed: {2}")
  @MethodSource("permissionTable")
  @DisplayName("Every permission level × every action: allowed changes the unit as systemctl sees it; forbidden is 403 and changes nothing")
  void permissionTableRow(Permission level, String action, boolean allowed) {
    String unit = "lvl-" + level.value() + ".service";
    // start is tested from stopped; stop and restart from running.
    systemd.sandbox().systemctlOk(action.equals("start") ? "stop" : "start", unit);
    String stateBefore = state(unit);
    String pidBefore = mainPid(unit);
    int jobsBefore = actions.submitted();

    HttpResponse<Buffer> response = post("lvl-" + level.value(), action);

    if (allowed) {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("success");
      assertThat(response.bodyAsJsonObject().getString("result")).isEqualTo("done");
      switch (action) {
        case "start" -> assertThat(state(unit)).isEqualTo("active");
        case "stop" -> assertThat(state(unit)).isEqualTo("inactive");
        default -> {
          assertThat(state(unit)).isEqualTo("active");
          assertThat(mainPid(unit)).as("a new main process").isNotEqualTo(pidBefore);
        }
      }
    } else {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(403);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
      assertThat(state(unit)).isEqualTo(stateBefore);
      assertThat(mainPid(unit)).isEqualTo(pidBefore);
      assertThat(actions.submitted()).as("no D-Bus job").isEqualTo(jobsBefore);
    }
  }

  @Test
  @DisplayName("restart on a stopped unit starts it, as systemctl restart does")
  void restartStartsAStoppedUnit() {
    systemd.sandbox().systemctlOk("stop", "lvl-restart.service");
    assertThat(post("lvl-restart", "restart").statusCode()).isEqualTo(200);
    assertThat(state("lvl-restart.service")).isEqualTo("active");
  }

  @Test
  @DisplayName("A Type=simple unit that exits 1 ends its job 'done' yet is reported failed, with systemd's reason")
  void exitsOneIsFailed() {
    HttpResponse<Buffer> response = post("exits-one", "start");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("error");
    assertThat(body.getString("result")).isEqualTo("failed");
    assertThat(body.getString("systemd_result")).isEqualTo("exit-code");
    assertThat(body.getLong("exit_status")).isEqualTo(1L);
    assertThat(body.getString("message")).contains("exited with status 1");
  }

  /**
   * The operation published for {@code service}. It is published before the answer goes out, but
   * this test's consumer runs on a context of its own and may see it a moment after the answer.
   */
  static JsonObject awaitOperation(String service) {
    operationPublished.await("an operation for " + service + " published", () -> operationFor(service).isPresent(), WAIT);
    return operationFor(service).orElseThrow();
  }

  private static Optional<JsonObject> operationFor(String service) {
    return operations.stream().filter(o -> service.equals(o.getString("service"))).findFirst();
  }

  @Test
  @DisplayName("For a service whose status is hidden, the answer and the operation give the verdict but nothing about the unit's state")
  void hiddenServiceOutcomeRedacted() {
    HttpResponse<Buffer> response = post("hidden-crash", "start");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("result")).isEqualTo("failed");
    assertThat(body.getValue("systemd_result")).isNull();
    assertThat(body.getValue("exit_status")).isNull();
    assertThat(body.getString("message")).doesNotContain("exited").doesNotContain("status 1");
    JsonObject op = awaitOperation("hidden-crash");
    assertThat(op.getValue("systemd_result")).isNull();
    assertThat(op.getValue("exit_status")).isNull();
    assertThat(op.getString("message")).isEqualTo("start failed");
  }

  @Test
  @DisplayName("Every finished action is in GET /api/history, newest first, filtered by service; bad parameters are 400")
  void historyOfActions() {
    systemd.sandbox().systemctlOk("start", "lvl-all.service");
    assertThat(post("lvl-all", "stop").statusCode()).isEqualTo(200);
    assertThat(post("lvl-all", "start").statusCode()).isEqualTo(200);
    var response = http.get(app.httpPort(), "127.0.0.1", "/api/history?service=lvl-all&limit=2").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    var entries = response.bodyAsJsonObject().getJsonArray("entries");
    assertThat(entries).hasSize(2);
    JsonObject newest = entries.getJsonObject(0);
    assertThat(newest.getString("action")).isEqualTo("start");
    assertThat(entries.getJsonObject(1).getString("action")).isEqualTo("stop");
    assertThat(newest.fieldNames()).contains("at", "service", "unit", "action", "user", "result",
        "systemd_result", "exit_status", "duration_ms", "message");
    assertThat(newest.getString("unit")).isEqualTo("lvl-all.service");
    assertThat(newest.getString("result")).isEqualTo("done");
    for (String bad : new String[] {"limit=0", "limit=1001", "limit=abc", "service=", "colour=red"}) {
      var refused = http.get(app.httpPort(), "127.0.0.1", "/api/history?" + bad).send().await();
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    }
  }

  @Test
  @DisplayName("A start that exceeds TimeoutStartSec is reported as a failure that names the timeout")
  void startTimeout() {
    HttpResponse<Buffer> response = post("slow-start", "start");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("result")).isIn("failed", "timeout");
    assertThat(body.getString("systemd_result")).isEqualTo("timeout");
    assertThat(body.getString("message")).contains("timed out");
  }

  @Test
  @DisplayName("A unit acted on before is judged by its new definition after a daemon-reload: nothing remembered of the old one counts")
  void judgedByNewDefinitionAfterReload() {
    assertThat(post("redefined", "restart").statusCode()).isEqualTo(200);
    assertThat(post("redefined", "restart").bodyAsJsonObject().getString("result")).isEqualTo("done");
    // Now a simple service that dies shortly after its start job ended "done": only a verdict that
    // knows the new Type waits to see it die.
    systemd.sandbox().writeUnit("redefined.service",
        "[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=simple\nExecStart=/bin/sh -c 'sleep 0.2; exit 3'\n");
    systemd.sandbox().daemonReload();
    HttpResponse<Buffer> response = post("redefined", "restart");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("result")).isEqualTo("failed");
    assertThat(body.getString("systemd_result")).isEqualTo("exit-code");
    assertThat(body.getLong("exit_status")).isEqualTo(3L);
  }

  @Test
  @DisplayName("A start whose Requires= unit fails is reported as dependency")
  void dependencyFails() {
    HttpResponse<Buffer> response = post("needs-broken", "start");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getString("result")).isEqualTo("dependency");
    assertThat(state("needs-broken.service")).isEqualTo("inactive");
  }

  @Test
  @DisplayName("A configured service whose unit file does not exist is refused by systemd with its reason")
  void missingUnitFile() {
    HttpResponse<Buffer> response = post("ghost", "start");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getString("message")).containsIgnoringCase("not found");
  }

  @ParameterizedTest(name = "service \"{0}\"")
  @ValueSource(strings = {"../x", "a;b", "a b", "ünï", "nope", "lvl-all.service"})
  @DisplayName("A name not in the configuration is 404 unknown_service and never reaches D-Bus")
  void unknownNames(String name) {
    int before = actions.submitted();
    HttpResponse<Buffer> response = post(name, "restart");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(404);
    assertThat(actions.submitted()).isEqualTo(before);
  }

  @Test
  @DisplayName("A 10 KB name and an empty name are refused with 4xx and never reach D-Bus")
  void hugeAndEmptyNames() {
    int before = actions.submitted();
    assertThat(post("x".repeat(10 * 1024), "restart").statusCode()).isBetween(400, 499);
    assertThat(http.post(app.httpPort(), "127.0.0.1", "/api/services//restart").send().await().statusCode())
        .isBetween(400, 499);
    assertThat(actions.submitted()).isEqualTo(before);
  }

  @ParameterizedTest(name = "action \"{0}\"")
  @ValueSource(strings = {"reload", "kill", "START", "start;stop", "restart%00"})
  @DisplayName("An action that is not start, stop or restart is 400 invalid_action and never reaches D-Bus")
  void invalidActions(String action) {
    int before = actions.submitted();
    HttpResponse<Buffer> response = post("lvl-all", action);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("invalid_action");
    assertThat(actions.submitted()).isEqualTo(before);
  }

  @Test
  @DisplayName("1 000 concurrent requests on one unit while its restart runs: every caller is answered, systemd runs one job at a time, and a request joins only the job that would run last anyway")
  void thousandConcurrentRestarts() throws Exception {
    Path gate = Path.of(systemd.sandbox().clientEnvironment().get("XDG_RUNTIME_DIR"), "busy-gate");
    Files.writeString(gate, "");
    systemd.sandbox().systemctlOk("start", "busy.service");
    Files.delete(gate); // the next start, the restart's, waits for the gate
    int before = actions.submitted();
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String action = i % 10 == 9 ? "stop" : i % 10 == 8 ? "start" : "restart";
      answers.add(vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
          new JsonObject().put("service", "busy").put("action", action).put("identity", TestConfigs.operatorIdentity()),
          new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(180_000))
          .map(m -> m.body()));
    }
    // The action verticle takes requests in the order they were sent: once this refusal is back,
    // all 1 000 have been queued or joined while the first restart is held at the gate.
    JsonObject refused = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
        new JsonObject().put("service", "busy").put("action", "reload").put("identity", TestConfigs.operatorIdentity()))
        .await().body();
    assertThat(refused.getString("code")).isEqualTo("invalid_action");
    assertThat(actions.submitted() - before).as("jobs while the first restart runs").isEqualTo(1);
    Files.writeString(gate, "");

    Future.all(answers).await();
    assertThat(answers).allSatisfy(f -> assertThat(f.result().getString("status")).isEqualTo("success"));
    assertThat(actions.maxConcurrentJobs()).isEqualTo(1);
    // A request joins only the job that would run last anyway: the eight restarts of the first ten
    // join the running one, then every start, stop and run of restarts is a job of its own.
    assertThat(actions.submitted() - before)
        .as("the running restart, a start and a stop, then a restart, a start and a stop for each further ten requests")
        .isEqualTo(1 + 2 + 99 * 3);
    // The last request was a stop, and nothing ran after it.
    assertThat(state("busy.service")).isEqualTo("inactive");
  }

  @Test
  @DisplayName("The /ws action message gets a result with its id, and every finished action is pushed as an operation")
  void actionOverWebSocket() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      ws.send(new JsonObject().put("type", "action").put("id", "c1").put("service", "oneshot-ok").put("action", "start"));
      JsonObject result = ws.awaitType("result", WAIT);
      assertThat(result.getString("id")).isEqualTo("c1");
      assertThat(result.getString("status")).isEqualTo("success");
      JsonObject op = ws.await(f -> "operation".equals(f.getString("type")) && "oneshot-ok".equals(f.getString("service")), WAIT);
      assertThat(op.getString("action")).isEqualTo("start");
      assertThat(op.getString("result")).isEqualTo("done");
      assertThat(op.getString("user")).as("the authenticated identity").isEqualTo(TestConfigs.OPERATOR);
      assertThat(op.getLong("duration_ms")).isNotNegative();

      ws.send(new JsonObject().put("type", "action").put("id", "c2").put("service", "lvl-restart").put("action", "stop"));
      JsonObject refused = ws.await(f -> "result".equals(f.getString("type")) && "c2".equals(f.getString("id")), WAIT);
      assertThat(refused.getString("status")).isEqualTo("error");
      assertThat(refused.getString("code")).isEqualTo("forbidden");
    }
  }
}
