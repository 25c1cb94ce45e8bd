package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.auth.LoginThrottle;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document a running server hands out describes what that server really answers, on
 * a real systemd: each answer's status is documented for its route, its Content-Type too, and its
 * body validates against the documented schema — service views (running, stopped, hidden), action
 * results (done and failed), errors, history, sessions. Two answers a healthy server never gives —
 * systemd out of reach, a throttled client — come from servers of their own.
 */
class OpenApiIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension(
      "units/sleeper.service", "units/oneshot-ok.service", "units/exits-one.service")
      .withUnit("secret.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;
  static DocumentedResponses documented;

  static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.RESTART, true),
        new ServiceDefinition("oneshot-ok", "oneshot-ok.service", "Oneshot", "succeeds", Permission.ALL, true),
        new ServiceDefinition("exits-one", "exits-one.service", "Exits 1", "fails on start", Permission.ALL, true),
        new ServiceDefinition("secret", "secret.service", "Secret", "state hidden", Permission.ALL, false)));
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    app = Application.deploy(vertx, config, catalogue()).await();
    http = WebClient.create(vertx);
    HttpResponse<Buffer> doc = http.get(app.httpPort(), "127.0.0.1", "/api/openapi.yaml").send().await();
    assertThat(doc.statusCode()).as("the document needs no credentials").isEqualTo(200);
    documented = new DocumentedResponses(doc.bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static HttpResponse<Buffer> asOperator(HttpMethod method, String uri) {
    return http.request(method, app.httpPort(), "127.0.0.1", uri)
        .putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
  }

  static HttpResponse<Buffer> anonymous(HttpMethod method, String uri) {
    return http.request(method, app.httpPort(), "127.0.0.1", uri).send().await();
  }

  /** The answer has {@code status}, and its body matches what the document says of the route for it. */
  private void expect(int status, String method, String route, HttpResponse<Buffer> answer) {
    assertThat(answer.statusCode()).as("%s %s", method, route).isEqualTo(status);
    documented.check(method, route, answer);
  }

  @Test
  @DisplayName("Service views — running, stopped, state hidden — and the list match the ServiceView schema")
  void serviceViews() {
    asOperator(HttpMethod.POST, "/api/services/sleeper/restart");
    var list = asOperator(HttpMethod.GET, "/api/services");
    documented.check("GET", "/api/services", list);
    assertThat(list.bodyAsJsonObject().getJsonArray("services")).hasSize(4);
    for (String name : List.of("sleeper", "oneshot-ok", "secret")) {
      documented.check("GET", "/api/services/{name}", asOperator(HttpMethod.GET, "/api/services/" + name));
    }
    JsonObject running = asOperator(HttpMethod.GET, "/api/services/sleeper").bodyAsJsonObject();
    assertThat(running.getInteger("main_pid")).as("a running view, with its pid, was checked").isPositive();
    assertThat(asOperator(HttpMethod.GET, "/api/services/secret").bodyAsJsonObject().getValue("status")).isNull();
  }

  @Test
  @DisplayName("The schema check is not vacuous: a view with an unknown field or without its status is refused")
  void schemaCatchesDrift() {
    JsonObject view = asOperator(HttpMethod.GET, "/api/services/oneshot-ok").bodyAsJsonObject();
    assertThat(documented.errorsAgainst("ServiceView", view.encode())).isEmpty();
    assertThat(documented.errorsAgainst("ServiceView", view.copy().put("colour", "green").encode())).isNotEmpty();
    JsonObject withoutStatus = view.copy();
    withoutStatus.remove("status");
    assertThat(documented.errorsAgainst("ServiceView", withoutStatus.encode())).isNotEmpty();
    assertThat(documented.errorsAgainst("ServiceView", view.copy().put("status", "green").encode())).isNotEmpty();
  }

  @Test
  @DisplayName("Action answers match: 200 done, 502 failed, 400 invalid_action, 403 forbidden, 404 unknown_service")
  void actionAnswers() {
    String route = "/api/services/{name}/{action}";
    expect(200, "POST", route, asOperator(HttpMethod.POST, "/api/services/oneshot-ok/start"));
    expect(502, "POST", route, asOperator(HttpMethod.POST, "/api/services/exits-one/start"));
    expect(200, "POST", route, asOperator(HttpMethod.POST, "/api/services/secret/restart"));

    expect(400, "POST", route, asOperator(HttpMethod.POST, "/api/services/oneshot-ok/explode"));
    expect(403, "POST", route, asOperator(HttpMethod.POST, "/api/services/sleeper/stop"));
    expect(404, "POST", route, asOperator(HttpMethod.POST, "/api/services/nope/start"));
    expect(401, "POST", route, anonymous(HttpMethod.POST, "/api/services/oneshot-ok/start"));
  }

  @Test
  @DisplayName("Errors of the read routes match the Error schema: 404 unknown_service, 400 bad_request, 401 unauthorized")
  void errors() {
    expect(404, "GET", "/api/services/{name}", asOperator(HttpMethod.GET, "/api/services/nope"));
    expect(400, "GET", "/api/history", asOperator(HttpMethod.GET, "/api/history?limit=0"));
    expect(401, "GET", "/api/services", anonymous(HttpMethod.GET, "/api/services"));
    expect(401, "GET", "/ws", anonymous(HttpMethod.GET, "/ws"));
    expect(404, "GET", "/api/history", asOperator(HttpMethod.GET, "/api/history?service=nope"));
    expect(413, "POST", "/api/login", http.request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("user", "x").put("password", "y".repeat(20_000))).await());
  }

  @Test
  @DisplayName("Insight answers match: a timeline, all timelines, statistics and the ranking; 400 invalid_window, invalid_time, invalid_limit; 403 state_hidden; 404 unknown_service")
  void insight() {
    asOperator(HttpMethod.POST, "/api/services/exits-one/start");
    String timeline = "/api/services/{name}/timeline";
    String stats = "/api/services/{name}/stats";
    var answer = asOperator(HttpMethod.GET, "/api/services/exits-one/timeline");
    expect(200, "GET", timeline, answer);
    assertThat(answer.bodyAsJsonObject().getJsonArray("transitions")).as("a timeline with transitions was checked")
        .isNotEmpty();
    var statistics = asOperator(HttpMethod.GET, "/api/services/exits-one/stats?window=7d");
    expect(200, "GET", stats, statistics);
    assertThat(statistics.bodyAsJsonObject().getValue("last_failure")).as("a failure was checked").isNotNull();
    expect(200, "GET", "/api/insights", asOperator(HttpMethod.GET, "/api/insights?window=30d"));
    var timelines = asOperator(HttpMethod.GET, "/api/timeline?window=7d");
    expect(200, "GET", "/api/timeline", timelines);
    assertThat(timelines.bodyAsJsonObject().getJsonArray("services").stream()
        .mapToInt(t -> ((JsonObject) t).getJsonArray("transitions").size()).sum())
        .as("all timelines with transitions were checked").isPositive();
    expect(400, "GET", "/api/timeline", asOperator(HttpMethod.GET, "/api/timeline?window=1d"));
    expect(400, "GET", stats, asOperator(HttpMethod.GET, "/api/services/exits-one/stats?window=1h"));
    expect(400, "GET", timeline, asOperator(HttpMethod.GET, "/api/services/exits-one/timeline?to=now"));
    expect(400, "GET", timeline, asOperator(HttpMethod.GET, "/api/services/exits-one/timeline?limit=x"));
    expect(400, "GET", "/api/insights", asOperator(HttpMethod.GET, "/api/insights?window=2d"));
    expect(403, "GET", stats, asOperator(HttpMethod.GET, "/api/services/secret/stats"));
    expect(403, "GET", timeline, asOperator(HttpMethod.GET, "/api/services/secret/timeline"));
    expect(404, "GET", stats, asOperator(HttpMethod.GET, "/api/services/nope/stats"));
    expect(401, "GET", "/api/insights", anonymous(HttpMethod.GET, "/api/insights"));
  }

  @Test
  @DisplayName("History entries, health, session, login and logout match their schemas")
  void historyHealthAndSession() {
    asOperator(HttpMethod.POST, "/api/services/oneshot-ok/restart");
    var history = asOperator(HttpMethod.GET, "/api/history?limit=5");
    assertThat(history.bodyAsJsonObject().getJsonArray("entries")).isNotEmpty();
    documented.check("GET", "/api/history", history);
    documented.check("GET", "/api/health", anonymous(HttpMethod.GET, "/api/health"));
    documented.check("GET", "/api/session", asOperator(HttpMethod.GET, "/api/session"));

    expect(200, "POST", "/api/login", http.post(app.httpPort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("user", TestConfigs.OPERATOR).put("password", TestConfigs.PASSWORD)).await());
    expect(400, "POST", "/api/login", http.post(app.httpPort(), "127.0.0.1", "/api/login").sendJsonObject(new JsonObject()).await());
    documented.check("POST", "/api/logout", anonymous(HttpMethod.POST, "/api/logout"));
  }

  @Test
  @DisplayName("The scrape and the document itself come with their documented media types")
  void metricsAndDocument() {
    expect(200, "GET", "/metrics", asOperator(HttpMethod.GET, "/metrics"));
    expect(401, "GET", "/metrics", anonymous(HttpMethod.GET, "/metrics"));
    documented.check("GET", "/api/openapi.yaml", anonymous(HttpMethod.GET, "/api/openapi.yaml"));
  }

  @Test
  @DisplayName("The SockJS bridge's info and its refusals come as documented")
  void eventBusBridge() {
    expect(200, "GET", "/eventbus/info", asOperator(HttpMethod.GET, "/eventbus/info"));
    expect(200, "GET", "/eventbus/info", anonymous(HttpMethod.GET, "/eventbus/info"));
    expect(401, "GET", "/eventbus/websocket", anonymous(HttpMethod.GET, "/eventbus/websocket"));
  }

  @Test
  @DisplayName("The /ws upgrade succeeds with credentials and its snapshot carries views that match ServiceView")
  void webSocketSnapshot() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonArray services = ws.awaitType("snapshot", WAIT).getJsonArray("services");
      assertThat(services).hasSize(4);
      for (Object view : services) {
        assertThat(documented.errorsAgainst("ServiceView", ((JsonObject) view).encode())).as(view.toString()).isEmpty();
      }
    }
  }

  /**
   * A server of its own on a Vert.x of its own: the event-bus addresses are per Vert.x, and a second
   * application there would answer half of the first one's requests.
   */
  static Application ownServer(Vertx own, Path dir) {
    Path missing = dir.resolve("no-bus-here");
    assertThat(Files.exists(missing)).isFalse();
    return Application.deploy(own, TestConfigs.forBus("unix:path=" + missing), catalogue()).await();
  }

  static HttpResponse<Buffer> send(Application on, HttpMethod method, String uri, String authorization) {
    var request = http.request(method, on.httpPort(), "127.0.0.1", uri);
    return (authorization == null ? request : request.putHeader("Authorization", authorization)).send().await();
  }

  @Test
  @DisplayName("Without systemd: views in error, health 503 DOWN and an action 503 bus_unavailable, all as documented")
  void withoutSystemd(@TempDir Path dir) {
    Vertx own = Vertx.vertx();
    try {
      Application noBus = ownServer(own, dir);
      String operator = TestConfigs.operatorBasic();

      var list = send(noBus, HttpMethod.GET, "/api/services", operator);
      assertThat(list.bodyAsJsonObject().getJsonArray("services").getJsonObject(0).getString("status")).isEqualTo("error");
      documented.check("GET", "/api/services", list);
      expect(503, "GET", "/api/health", send(noBus, HttpMethod.GET, "/api/health", null));
      var action = send(noBus, HttpMethod.POST, "/api/services/oneshot-ok/start", operator);
      assertThat(action.statusCode()).isEqualTo(503);
      assertThat(action.bodyAsJsonObject().getString("error")).isEqualTo("bus_unavailable");
      documented.check("POST", "/api/services/{name}/{action}", action);
    } finally {
      own.close().await();
    }
  }

  @Test
  @DisplayName("A throttled client gets 429 too_many_requests with Retry-After, as documented")
  void throttled(@TempDir Path dir) {
    Vertx vertxOfItsOwn = Vertx.vertx();
    try {
      Application own = ownServer(vertxOfItsOwn, dir);
      String wrong = TestConfigs.basic(TestConfigs.OPERATOR, "not-the-password");
      for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
        assertThat(send(own, HttpMethod.GET, "/api/session", wrong).statusCode()).isEqualTo(401);
      }
      var throttled = send(own, HttpMethod.GET, "/api/session", wrong);
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.getHeader("Retry-After")).matches("[0-9]+");
      documented.check("GET", "/api/session", throttled);
    } finally {
      vertxOfItsOwn.close().await();
    }
  }
}
