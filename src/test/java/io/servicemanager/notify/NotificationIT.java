package io.servicemanager.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.NotificationTarget;
import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.NotificationTarget.Format;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.testing.PrometheusText;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WebhookReceiver;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks end to end: real systemd changes and real actions reach a local HTTP receiver in each
 * format, a receiver that fails twice gets the notification once, and a hidden service never leaks.
 * Each test has a manager and receiver of its own, deployed with sleeper.service running.
 */
class NotificationIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service")
      .withUnit("vault.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static WebhookReceiver receiver;
  static Application app;
  static WebClient http;

  @BeforeEach
  void deploy() {
    systemd.systemctl("start", "sleeper.service");
    vertx = Metrics.vertx();
    receiver = WebhookReceiver.start(vertx).failFirst("/flaky", 2).neverAnswer("/silent");
    Set<Event> both = Set.of(Event.STATUS, Event.OPERATION);
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.metricsPublic = true).with(b -> b.notifications = List.of(
        new NotificationTarget(receiver.url("/json"), both, List.of(), Format.JSON),
        new NotificationTarget(receiver.url("/discord"), both, List.of("sleeper"), Format.DISCORD),
        new NotificationTarget(receiver.url("/slack"), both, List.of(), Format.SLACK),
        new NotificationTarget(receiver.url("/flaky"), Set.of(Event.OPERATION), List.of(), Format.JSON),
        new NotificationTarget(receiver.url("/silent"), both, List.of(), Format.JSON)));
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true),
        new ServiceDefinition("secret", "vault.service", "Secret", "state hidden", Permission.ALL, false)));
    app = Application.deploy(vertx, config, services).await();
    http = TestConfigs.client(vertx);
  }

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static JsonObject post(String service, String action) {
    var response = http.post(app.httpPort(), "127.0.0.1", "/api/services/" + service + "/" + action).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static PrometheusText metrics() {
    return PrometheusText.parse(http.get(app.httpPort(), "127.0.0.1", "/metrics").send().await().bodyAsString());
  }

  /** Once the manager has seen {@code service} in {@code status}: in its /ws snapshot or in a push after it. */
  static void awaitSeen(String service, String status) {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonObject snapshot = ws.awaitType("snapshot", WAIT);
      boolean already = snapshot.getJsonArray("services").stream().map(JsonObject.class::cast)
          .anyMatch(v -> service.equals(v.getString("name")) && status.equals(v.getString("status")));
      if (!already) {
        ws.awaitStatus(service, status, WAIT);
      }
    }
  }

  static boolean isStatus(JsonObject body, String service, String status) {
    return "status".equals(body.getString("type"))
        && service.equals(body.getJsonObject("service").getString("name"))
        && status.equals(body.getJsonObject("service").getString("status"));
  }

  static boolean isOperation(JsonObject body, String service, String action) {
    return "operation".equals(body.getString("type"))
        && service.equals(body.getString("service")) && action.equals(body.getString("action"));
  }

  @Test
  @DisplayName("A real status change (systemctl stop) reaches every status target, once, in its format; a receiver that never answers holds up no one")
  void statusChange() {
    awaitSeen("sleeper", "active");
    systemd.systemctl("stop", "sleeper.service");

    JsonObject json = receiver.await("/json", b -> isStatus(b, "sleeper", "inactive"), WAIT);
    assertThat(json.getJsonObject("service").getString("unit")).isEqualTo("sleeper.service");
    assertThat(receiver.await("/discord", b -> b.containsKey("content"), WAIT).getString("content"))
        .isEqualTo("sleeper is now inactive (dead)");
    assertThat(receiver.await("/slack", b -> b.containsKey("text"), WAIT))
        .isEqualTo(new JsonObject().put("text", "sleeper is now inactive (dead)"));
    // Per target, notifications go out in order: anything before "inactive" has arrived by now.
    assertThat(receiver.requests("/json")).as("one notification: no 'deactivating', no first state after start")
        .hasSize(1);
    assertThat(receiver.requests("/json").get(0).contentType()).isEqualTo("application/json");
    assertThat(receiver.requests("/flaky")).as("operations only").isEmpty();
    assertThat(receiver.awaitRequests("/silent", 1, WAIT)).as("its one request still waits for an answer")
        .extracting(WebhookReceiver.Request::answered).containsExactly(0);
  }

  @Test
  @DisplayName("An action reaches every operation target; a receiver answering 500 twice gets it once, on the third try")
  void operation() {
    awaitSeen("sleeper", "active");
    systemd.systemctl("stop", "sleeper.service");
    awaitSeen("sleeper", "inactive");
    post("sleeper", "start");

    JsonObject json = receiver.await("/json", b -> isOperation(b, "sleeper", "start"), WAIT);
    assertThat(json.getString("result")).isEqualTo("done");
    assertThat(json.getLong("duration_ms")).isNotNull();
    String line = "sleeper started by " + json.getString("user") + ": done";
    assertThat(receiver.await("/discord", b -> line.equals(b.getString("content")), WAIT)).isNotNull();
    assertThat(receiver.await("/slack", b -> line.equals(b.getString("text")), WAIT)).isNotNull();
    assertThat(receiver.await("/json", b -> isStatus(b, "sleeper", "active"), WAIT)).isNotNull();

    JsonObject flaky = receiver.await("/flaky", b -> isOperation(b, "sleeper", "start"), WAIT);
    assertThat(flaky).isEqualTo(json);
    assertThat(receiver.requests("/flaky")).extracting(WebhookReceiver.Request::answered).containsExactly(500, 500, 200);
    assertThat(receiver.requests("/flaky")).extracting(WebhookReceiver.Request::body).containsOnly(json);

    // Targets are labelled by their place in the list. Every answer a receiver gave is counted once
    // it has reached the sender: target 3 (/flaky) needed two retries, the others none.
    List<String> paths = List.of("/json", "/discord", "/slack", "/flaky");
    long deadline = System.nanoTime() + WAIT.toNanos();
    PrometheusText metrics = metrics();
    while (!allCounted(metrics, paths)) {
      assertThat(System.nanoTime()).as("deliveries counted: %s", receiver.all()).isLessThan(deadline);
      metrics = metrics();
    }
    assertThat(metrics.value("servicemanager_webhook_deliveries_total", "target", "3", "result", "ok")).isEqualTo(1);
    assertThat(metrics.value("servicemanager_webhook_retries_total", "target", "3")).isEqualTo(2);
    for (String target : List.of("0", "1", "2")) {
      assertThat(metrics.value("servicemanager_webhook_retries_total", "target", target)).as(target).isZero();
    }
    assertThat(metrics.sum("servicemanager_webhook_deliveries_total", "result", "failed")).isZero();
    assertThat(metrics.sum("servicemanager_webhook_deliveries_total", "result", "dropped")).isZero();
  }

  private static boolean allCounted(PrometheusText metrics, List<String> paths) {
    for (int i = 0; i < paths.size(); i++) {
      long answeredOk = receiver.requests(paths.get(i)).stream().filter(r -> r.answered() == 200).count();
      if (metrics.value("servicemanager_webhook_deliveries_total", "target", String.valueOf(i), "result", "ok") != answeredOk) {
        return false;
      }
    }
    return true;
  }

  @Test
  @DisplayName("A service whose status is hidden is never notified about, not even its actions")
  void hiddenNeverDelivered() {
    post("secret", "start");
    assertThat(systemd.activeState("vault.service")).isEqualTo("active");
    post("sleeper", "restart");
    // Each target delivers in order, so the restart arriving everywhere means the secret start would have too.
    for (String path : List.of("/json", "/slack", "/flaky")) {
      receiver.await(path, b -> isOperation(b, "sleeper", "restart")
          || b.encode().contains("sleeper restarted by"), WAIT);
    }
    receiver.await("/discord", b -> b.getString("content", "").startsWith("sleeper restarted by"), WAIT);
    assertThat(receiver.all()).extracting(r -> r.body().encode())
        .noneMatch(body -> body.contains("secret") || body.contains("vault"));
  }
}
