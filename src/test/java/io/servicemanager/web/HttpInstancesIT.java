package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.auth.LoginThrottle;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.testing.PrometheusText;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two HTTP verticles sharing one port, on a real systemd: connections are spread over both, and
 * what must hold across them (the push to every socket, the login throttle, the ws_clients gauge)
 * holds. Each test deploys its own server: the throttle closes 127.0.0.1 to the test operator for a while.
 */
class HttpInstancesIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** Enough that both instances get some: Vert.x hands new connections to the instances in turn. */
  private static final int CLIENTS = 8;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  Vertx vertx;
  Application app;
  /** A new connection per request, so consecutive requests land on different instances. */
  WebClient fresh;
  final List<WsClient> sockets = new ArrayList<>();

  @BeforeEach
  void deploy() {
    systemd.systemctl("start", "sleeper.service");
    vertx = Metrics.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.metricsPublic = true).with(b -> b.httpInstances = 2);
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true)))).await();
    fresh = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void close() {
    sockets.forEach(WsClient::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Connected and sent its snapshot: the server's hub holds the socket. */
  void connectClients() {
    for (int i = 0; i < CLIENTS; i++) {
      WsClient ws = WsClient.connect(vertx, app.httpPort());
      sockets.add(ws);
      ws.awaitType("snapshot", WAIT);
    }
  }

  @Test
  @DisplayName("Every /ws client, whichever instance accepted it, receives a status change and an operation")
  void everyClientIsPushedTo() {
    assertThat(app.httpInstances()).isEqualTo(2);
    connectClients();
    systemd.systemctl("stop", "sleeper.service");
    for (WsClient ws : sockets) {
      ws.awaitStatus("sleeper", "inactive", WAIT);
    }
    HttpResponse<Buffer> started = TestConfigs.client(vertx)
        .post(app.httpPort(), "127.0.0.1", "/api/services/sleeper/start").send().await();
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
    for (WsClient ws : sockets) {
      JsonObject op = ws.await(f -> "operation".equals(f.getString("type")) && "sleeper".equals(f.getString("service")), WAIT);
      assertThat(op.getString("action")).isEqualTo("start");
      ws.awaitStatus("sleeper", "active", WAIT);
    }
  }

  @Test
  @DisplayName("Wrong passwords sent over new connections, so to both instances, are counted together: after 5, 429 even for the right one")
  void throttleHoldsAcrossInstances() {
    JsonObject wrong = new JsonObject().put("user", TestConfigs.OPERATOR).put("password", "guess");
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(login(wrong).statusCode()).as("attempt %d", i + 1).isEqualTo(401);
    }
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> right = login(wrong.copy().put("password", TestConfigs.PASSWORD));
      assertThat(right.statusCode()).as("the right password, on instance %d of 2", i + 1).isEqualTo(429);
      assertThat(Long.parseLong(right.getHeader("Retry-After"))).isBetween(1L, 300L);
    }
    assertThat(app.failedLogins()).isEqualTo(LoginThrottle.MAX_FAILURES);
    assertThat(scrape().value("servicemanager_login_failures_total")).isEqualTo(LoginThrottle.MAX_FAILURES);
  }

  @Test
  @DisplayName("After 5 wrong passwords the right Basic password, remembered by both instances, is 429 on 8 fresh connections: the throttle answers before the cache")
  void throttleBeforeBasicCache() {
    for (int i = 0; i < CLIENTS; i++) {
      assertThat(session(TestConfigs.operatorBasic()).statusCode()).as("remembered, request %d", i + 1).isEqualTo(200);
    }
    JsonObject wrong = new JsonObject().put("user", TestConfigs.OPERATOR).put("password", "guess");
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(login(wrong).statusCode()).as("attempt %d", i + 1).isEqualTo(401);
    }
    for (int i = 0; i < CLIENTS; i++) {
      HttpResponse<Buffer> right = session(TestConfigs.operatorBasic());
      assertThat(right.statusCode()).as("the remembered password, fresh connection %d", i + 1).isEqualTo(429);
      assertThat(right.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
      assertThat(right.bodyAsJsonObject().getString("message")).isNotBlank();
      assertThat(Long.parseLong(right.getHeader("Retry-After"))).isBetween(1L, LoginThrottle.FIRST_DELAY.toSeconds());
    }
    assertThat(app.failedLogins()).isEqualTo(LoginThrottle.MAX_FAILURES);
  }

  @Test
  @DisplayName("A burst of 10 wrong passwords at once over new connections has exactly 5 checked; the others are 429 unchecked")
  void burstIsCheckedOnce() {
    JsonObject wrong = new JsonObject().put("user", TestConfigs.OPERATOR).put("password", "guess");
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 2 * LoginThrottle.MAX_FAILURES; i++) {
      burst.add(fresh.post(app.httpPort(), "127.0.0.1", "/api/login").sendJsonObject(wrong));
    }
    Future.all(burst).await();
    assertThat(burst).extracting(f -> f.result().statusCode()).filteredOn(s -> s == 401).hasSize(LoginThrottle.MAX_FAILURES);
    assertThat(burst).extracting(f -> f.result().statusCode()).filteredOn(s -> s == 429).hasSize(LoginThrottle.MAX_FAILURES);
    assertThat(app.failedLogins()).isEqualTo(LoginThrottle.MAX_FAILURES);
  }

  @Test
  @DisplayName("ws_clients on /metrics is the number of open sockets over both instances, up and down")
  void wsClientsIsTheSum() {
    connectClients();
    awaitScrape(CLIENTS + " clients", s -> s.value("servicemanager_ws_clients") == CLIENTS);
    for (int i = 0; i < 3; i++) {
      sockets.remove(0).close();
    }
    awaitScrape((CLIENTS - 3) + " clients", s -> s.value("servicemanager_ws_clients") == CLIENTS - 3);
    assertThat(scrape().samples("servicemanager_ws_clients")).as("one gauge, not one per instance").hasSize(1);
  }

  HttpResponse<Buffer> login(JsonObject body) {
    return fresh.post(app.httpPort(), "127.0.0.1", "/api/login").sendJsonObject(body).await();
  }

  HttpResponse<Buffer> session(String authorization) {
    return fresh.get(app.httpPort(), "127.0.0.1", "/api/session").putHeader("Authorization", authorization).send().await();
  }

  PrometheusText scrape() {
    HttpResponse<Buffer> response = fresh.get(app.httpPort(), "127.0.0.1", "/metrics").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return PrometheusText.parse(response.bodyAsString());
  }

  /** Scrapes until the condition holds: a closed socket leaves its hub a moment after the client closes it. */
  PrometheusText awaitScrape(String what, Predicate<PrometheusText> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    PrometheusText last = scrape();
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within " + WAIT + ": " + what + "; last ws_clients " + last.value("servicemanager_ws_clients"));
      }
      last = scrape();
    }
    return last;
  }
}
