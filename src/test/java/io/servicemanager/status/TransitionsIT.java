package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.FrameInbox;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Status transitions recorded from a real systemd (DESIGN §3): each failure with systemd's reason in
 * plain words, and each change with who caused it — an operation (and its user), systemd's own
 * Restart=, or something outside (a shell, a crash).
 */
class TransitionsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("exits-three.service", "[Service]\nExecStart=/bin/sh -c 'exit 3'\n")
      .withUnit("killed.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("slow-start.service", "[Service]\nType=notify\nExecStart=/bin/sleep 400\nTimeoutStartSec=1\n")
      .withUnit("start-limit.service", "[Unit]\nStartLimitIntervalSec=60\nStartLimitBurst=3\n"
          + "[Service]\nExecStart=/bin/false\nRestart=on-failure\nRestartSec=200ms\n")
      // Fails the first time, then runs: one restart by systemd.
      .withUnit("restarted.service", "[Service]\nRestart=on-failure\nRestartSec=1\n"
          + "ExecStart=/bin/sh -c 'if [ -e %t/restarted.flag ]; then exec sleep 400; fi; touch %t/restarted.flag; exit 2'\n")
      .withUnit("op-fails.service", "[Service]\nExecStart=/bin/sh -c 'exit 3'\n")
      .withUnit("view-fails.service", "[Service]\nExecStart=/bin/sh -c 'exit 4'\n")
      .withUnit("dies-soon.service", "[Service]\nExecStart=/bin/sh -c 'sleep 2; exit 5'\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;
  static final FrameInbox transitions = new FrameInbox("transition");

  @BeforeAll
  static void deploy() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSITION, m -> transitions.add(m.body()));
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        service("exits-three"), service("killed"), service("slow-start"), service("start-limit"),
        service("restarted"), service("op-fails"), service("view-fails"),
        service("dies-soon")));
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.sandbox().busAddress()), services).await();
    http = TestConfigs.client(vertx);
    // The first read records every unit's state, from unknown.
    transitions.await(t -> "op-fails".equals(t.getString("service")) && t.getValue("from") == null, WAIT);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static ServiceDefinition service(String name) {
    return new ServiceDefinition(name, name + ".service", name, name, Permission.ALL, true);
  }

  static Predicate<JsonObject> failureOf(String service) {
    return t -> service.equals(t.getString("service")) && t.getString("reason") != null;
  }

  @Test
  @DisplayName("A unit that exits 3, started from a shell, is recorded failed: \"exited with status 3\", caused externally")
  void exitThree() {
    systemd.sandbox().systemctl("start", "exits-three.service");
    JsonObject t = transitions.await(failureOf("exits-three"), WAIT);
    assertThat(t.getString("to")).isEqualTo("failed");
    assertThat(t.getString("result")).isEqualTo("exit-code");
    assertThat(t.getString("exit_code")).isEqualTo("exited");
    assertThat(t.getLong("exit_status")).isEqualTo(3L);
    assertThat(t.getString("reason")).isEqualTo("exit-code:3");
    assertThat(t.getString("message")).isEqualTo("exited with status 3");
    assertThat(t.getString("cause")).isEqualTo("external");
    assertThat(t.getString("cause_user")).isNull();
  }

  @Test
  @DisplayName("A unit killed by SIGKILL is recorded failed: \"killed by signal 9 (KILL)\", caused externally")
  void killed() {
    systemd.sandbox().systemctlOk("start", "killed.service");
    transitions.await(t -> "killed".equals(t.getString("service")) && "active".equals(t.getString("to")), WAIT);
    systemd.sandbox().systemctlOk("kill", "--signal=KILL", "killed.service");
    JsonObject t = transitions.await(failureOf("killed"), WAIT);
    assertThat(t.getString("from")).isEqualTo("active");
    assertThat(t.getString("to")).isEqualTo("failed");
    assertThat(t.getString("exit_code")).isEqualTo("killed");
    assertThat(t.getInteger("signal")).isEqualTo(9);
    assertThat(t.getString("message")).isEqualTo("killed by signal 9 (KILL)");
    assertThat(t.getString("cause")).isEqualTo("external");
  }

  @Test
  @DisplayName("A unit that does not start within its TimeoutStartSec is recorded as a start timeout")
  void startTimeout() {
    systemd.sandbox().systemctlOk("start", "--no-block", "slow-start.service");
    JsonObject t = transitions.await(failureOf("slow-start"), WAIT);
    // systemd stops a unit whose start timed out; that stop may be too brief to be seen on its own.
    assertThat(t.getString("from")).isIn("activating", "deactivating");
    assertThat(t.getString("to")).isEqualTo("failed");
    assertThat(t.getString("reason")).isEqualTo("timeout");
    assertThat(t.getString("message")).isEqualTo("did not start within 1 s");
  }

  @Test
  @DisplayName("A unit that Restart= restarts too often ends failed by systemd: \"restarted too often (start limit)\"")
  void startLimit() {
    systemd.sandbox().systemctl("start", "start-limit.service");
    JsonObject t = transitions.await(t2 -> "start-limit".equals(t2.getString("service"))
        && "start-limit-hit".equals(t2.getString("reason")), WAIT);
    assertThat(t.getString("to")).isEqualTo("failed");
    assertThat(t.getString("message")).isEqualTo("restarted too often (start limit)");
    assertThat(t.getString("cause")).isEqualTo("systemd");
  }

  @Test
  @DisplayName("A crash that Restart=on-failure repairs: the crash is a failure, the way back up is systemd's")
  void restartedOnFailure() {
    systemd.sandbox().systemctl("start", "--no-block", "restarted.service");
    JsonObject crash = transitions.await(failureOf("restarted"), WAIT);
    // systemd 252 shows the crash as failed, then waiting to restart, unless both come in one burst.
    assertThat(crash.getString("sub_state")).as("%s", transitions.all()).isIn("auto-restart", "failed");
    assertThat(crash.getString("message")).isEqualTo("exited with status 2");
    JsonObject back = transitions.await(t -> "restarted".equals(t.getString("service"))
        && "active".equals(t.getString("to")) && t.getLong("n_restarts", 0L) > 0, WAIT);
    assertThat(back.getString("cause")).as("%s", transitions.all()).isEqualTo("systemd");
    assertThat(back.getLong("n_restarts")).isEqualTo(1L);
  }

  @Test
  @DisplayName("A start through Service Manager that fails is caused by that operation, and carries its user")
  void operationCarriesTheUser() {
    var response = http.request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/op-fails/start")
        .send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(502);
    JsonObject t = transitions.await(failureOf("op-fails"), WAIT);
    assertThat(t.getString("message")).isEqualTo("exited with status 3");
    assertThat(t.getString("cause")).isEqualTo("operation");
    assertThat(t.getString("cause_user")).isEqualTo(TestConfigs.OPERATOR);
  }

  @Test
  @DisplayName("The view then tells the last failure in plain words and the last operation with its user")
  void viewTellsTheRecentPast() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      http.request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/view-fails/start").send().await();
      JsonObject view = ws.await(f -> "status".equals(f.getString("type"))
          && "view-fails".equals(f.getJsonObject("service").getString("name"))
          && f.getJsonObject("service").getValue("last_operation") != null
          && f.getJsonObject("service").getValue("last_failure") != null, WAIT).getJsonObject("service");
      assertThat(view.getJsonObject("last_failure").getString("reason")).isEqualTo("exited with status 4");
      assertThat(view.getJsonObject("last_operation").getString("action")).isEqualTo("start");
      assertThat(view.getJsonObject("last_operation").getString("user")).isEqualTo(TestConfigs.OPERATOR);
      assertThat(view.getJsonObject("last_operation").getString("result")).isEqualTo("failed");
      assertThat(view.getValue("up_since")).isNull();
    }
  }

  @Test
  @DisplayName("A service that dies within a minute of a start reported done is followed up over /ws: who started it and why it died")
  void followUpAfterStart() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      var answer = http.request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/dies-soon/start")
          .send().await();
      assertThat(answer.statusCode()).as("the start was reported done: %s", answer.bodyAsString()).isEqualTo(200);
      JsonObject frame = ws.await(f -> "start_failed".equals(f.getString("type")), WAIT);
      assertThat(frame.getString("service")).isEqualTo("dies-soon");
      assertThat(frame.getString("action")).isEqualTo("start");
      assertThat(frame.getString("user")).isEqualTo(TestConfigs.OPERATOR);
      assertThat(frame.getString("message")).isEqualTo("exited with status 5");
      assertThat(frame.getLong("after_ms")).isBetween(0L, 60_000L);
    }
  }
}
