package io.servicemanager.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.NodeTools;
import io.servicemanager.testing.PrometheusText;
import io.servicemanager.testing.Promtool;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /metrics on a real systemd: our meters follow real actions, states and connections. */
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service")
      .withUnit("oneshot-ok.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n")
      .withUnit("idle.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("vault.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("crashes.service", "[Service]\nExecStart=/bin/false\n")
      // Fails once (exit 2), then Restart= brings it up for good.
      .withUnit("comes-back.service", "[Service]\nRestart=on-failure\nRestartSec=1\n"
          + "ExecStart=/bin/sh -c 'if [ -e %t/comes-back.flag ]; then exec sleep 400; fi; touch %t/comes-back.flag; exit 2'\n");
  /** What Prometheus' scraper sends (scrape_protocols' default, without protobuf). */
  static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  static Vertx vertx;
  static Application app;
  static WebClient http;

  @BeforeAll
  static void deploy() {
    systemd.systemctl("start", "sleeper.service");
    systemd.systemctl("start", "vault.service");
    vertx = Metrics.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.metricsPublic = true);
    app = Application.deploy(vertx, config, catalogue()).await();
    http = TestConfigs.client(vertx);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true),
        new ServiceDefinition("oneshot-ok", "oneshot-ok.service", "Oneshot", "succeeds", Permission.RESTART, true),
        new ServiceDefinition("idle", "idle.service", "Idle", "never started", Permission.RESTART, true),
        new ServiceDefinition("vault", "vault.service", "Vault", "state hidden", Permission.ALL, false),
        new ServiceDefinition("crashes", "crashes.service", "Crashes", "exits 1 at once", Permission.ALL, true),
        new ServiceDefinition("comes-back", "comes-back.service", "Comes back", "fails once", Permission.ALL, true)));
  }

  static PrometheusText scrape() {
    return PrometheusText.parse(scrapeText());
  }

  static String scrapeText() {
    HttpResponse<Buffer> response = http.get(app.httpPort(), "127.0.0.1", "/metrics").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return response.bodyAsString();
  }

  static double state(PrometheusText scrape, String service, String state) {
    return scrape.value("servicemanager_service_state", "service", service, "state", state);
  }

  /** Scrapes until the condition holds (meters follow the event bus, a moment after the event). */
  static PrometheusText awaitScrape(String what, Predicate<PrometheusText> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    PrometheusText last = scrape();
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within " + WAIT + ": " + what);
      }
      last = scrape();
    }
    return last;
  }

  static int post(String service, String action) {
    return http.post(app.httpPort(), "127.0.0.1", "/api/services/" + service + "/" + action).send().await().statusCode();
  }

  static double active(PrometheusText scrape, String service) {
    return scrape.value("servicemanager_service_active", "service", service);
  }

  @Test
  @DisplayName("The D-Bus connection shows as 1, each visible service's state as 1 or 0, and a hidden service not at all")
  void statesAndConnection() {
    PrometheusText scrape = awaitScrape("sleeper and idle known",
        s -> !s.samples("servicemanager_service_active", "service", "sleeper").isEmpty()
            && !s.samples("servicemanager_service_active", "service", "idle").isEmpty()
            && active(s, "sleeper") == 1);
    assertThat(scrape.value("servicemanager_dbus_connected")).isEqualTo(1);
    assertThat(active(scrape, "idle")).isZero();
    assertThat(scrape.samples("servicemanager_service_active", "service", "vault")).isEmpty();
    assertThat(systemd.activeState("vault.service")).as("the hidden unit runs; only its state is kept back").isEqualTo("active");
  }

  @Test
  @DisplayName("service_active follows real state changes made outside the manager")
  void followsSystemd() {
    awaitScrape("sleeper active", s -> s.samples("servicemanager_service_active", "service", "sleeper").size() == 1
        && active(s, "sleeper") == 1);
    systemd.systemctl("stop", "sleeper.service");
    awaitScrape("sleeper 0 after systemctl stop", s -> active(s, "sleeper") == 0);
    systemd.systemctl("start", "sleeper.service");
    awaitScrape("sleeper 1 after systemctl start", s -> active(s, "sleeper") == 1);
  }

  @Test
  @DisplayName("Action counters move by exactly the actions made: two restarts and a start done, none for a refused action")
  void actionCounters() {
    PrometheusText before = scrape();
    assertThat(post("sleeper", "restart")).isEqualTo(200);
    assertThat(post("sleeper", "restart")).isEqualTo(200);
    assertThat(post("oneshot-ok", "restart")).isEqualTo(200);
    assertThat(post("oneshot-ok", "stop")).as("restart level: stop is forbidden").isEqualTo(403);
    assertThat(post("ghost", "start")).isEqualTo(404);
    double totalBefore = before.sum("servicemanager_actions_total");
    PrometheusText after = awaitScrape("three more finished actions",
        s -> s.sum("servicemanager_actions_total") >= totalBefore + 3);

    assertThat(after.sum("servicemanager_actions_total")).isEqualTo(totalBefore + 3);
    assertThat(after.value("servicemanager_actions_total", "service", "sleeper", "action", "restart", "result", "done")
        - before.valueOrZero("servicemanager_actions_total", "service", "sleeper", "action", "restart", "result", "done"))
        .isEqualTo(2);
    assertThat(after.value("servicemanager_actions_total", "service", "oneshot-ok", "action", "restart", "result", "done")
        - before.valueOrZero("servicemanager_actions_total", "service", "oneshot-ok", "action", "restart", "result", "done"))
        .isEqualTo(1);
    assertThat(after.samples("servicemanager_actions_total", "action", "stop")).isEmpty();
    assertThat(after.sum("servicemanager_action_duration_seconds_count") - before.sum("servicemanager_action_duration_seconds_count"))
        .isEqualTo(3);
    // A restart of a simple service waits the 500 ms settle window: it lands in the buckets above it.
    assertThat(after.value("servicemanager_action_duration_seconds_bucket", "service", "sleeper", "action", "restart", "le", "0.25"))
        .isLessThan(after.value("servicemanager_action_duration_seconds_count", "service", "sleeper", "action", "restart"));
  }

  @Test
  @DisplayName("ws_clients counts open /ws connections, up and down")
  void wsClients() {
    double base = scrape().value("servicemanager_ws_clients");
    try (WsClient first = WsClient.connect(vertx, app.httpPort()); WsClient second = WsClient.connect(vertx, app.httpPort())) {
      first.awaitType("snapshot", WAIT);
      second.awaitType("snapshot", WAIT);
      awaitScrape("two more clients", s -> s.value("servicemanager_ws_clients") == base + 2);
      second.close();
      awaitScrape("one more client", s -> s.value("servicemanager_ws_clients") == base + 1);
    }
    awaitScrape("back to the start", s -> s.value("servicemanager_ws_clients") == base);
  }

  @Test
  @DisplayName("A change signalled by systemd and pushed to a /ws client is timed as push latency")
  void pushLatency() {
    PrometheusText before = scrape();
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      ws.awaitType("snapshot", WAIT);
      systemd.systemctl("restart", "sleeper.service");
      ws.awaitStatus("sleeper", "active", WAIT);
      PrometheusText after = awaitScrape("push latency observed", s -> s.value("servicemanager_push_latency_seconds_count")
          > before.value("servicemanager_push_latency_seconds_count"));
      double count = after.value("servicemanager_push_latency_seconds_count") - before.value("servicemanager_push_latency_seconds_count");
      double seconds = after.value("servicemanager_push_latency_seconds_sum") - before.value("servicemanager_push_latency_seconds_sum");
      assertThat(after.value("servicemanager_push_latency_seconds_bucket", "le", "+Inf"))
          .isEqualTo(after.value("servicemanager_push_latency_seconds_count"));
      assertThat(seconds / count).as("mean push latency in seconds").isBetween(0.0, 1.0);
    }
  }

  @Test
  @DisplayName("Vert.x's own meters and the JVM's are in the same scrape")
  void vertxAndJvm() {
    PrometheusText scrape = scrape();
    assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
    assertThat(scrape.has("jvm_threads_live_threads")).isTrue();
    assertThat(scrape.has("process_uptime_seconds")).isTrue();
    assertThat(scrape.has("system_cpus")).isTrue();
    assertThat(scrape.has("process_cpu_seconds_total")).isTrue();
    assertThat(scrape.has("vertx_http_server_requests_total")).isTrue();
    assertThat(scrape.has("vertx_eventbus_published_total")).isTrue();
  }

  @Test
  @DisplayName("A unit that failed and a unit that is stopped differ in service_state, one state each; a hidden service has no state series")
  void failedAndStoppedDiffer() {
    systemd.systemctl("start", "crashes.service");
    PrometheusText scrape = awaitScrape("crashes failed, idle inactive",
        s -> !s.samples("servicemanager_service_state", "service", "crashes", "state", "failed").isEmpty()
            && state(s, "crashes", "failed") == 1
            && !s.samples("servicemanager_service_state", "service", "idle", "state", "inactive").isEmpty()
            && state(s, "idle", "inactive") == 1);
    assertThat(systemd.activeState("crashes.service")).isEqualTo("failed");
    assertThat(active(scrape, "crashes")).isZero();
    assertThat(active(scrape, "idle")).isZero();
    assertThat(scrape.sum("servicemanager_service_state", "service", "crashes")).isEqualTo(1);
    assertThat(scrape.sum("servicemanager_service_state", "service", "idle")).isEqualTo(1);
    assertThat(scrape.samples("servicemanager_service_state", "service", "crashes"))
        .extracting(sample -> sample.labels().get("state"))
        .containsExactlyInAnyOrder("active", "inactive", "failed", "activating", "deactivating", "reloading", "error");
    assertThat(scrape.samples("servicemanager_service_state", "service", "vault")).isEmpty();
    assertThat(scrapeText()).doesNotContain("\"vault\"");
    assertThat(systemd.activeState("vault.service")).isEqualTo("active");
  }

  @Test
  @DisplayName("A failure counts under its reason and the way back up under its cause; promtool passes them; a hidden service has none")
  void failuresAndRestarts() {
    systemd.systemctl("start", "--no-block", "comes-back.service");
    systemd.systemctl("start", "vault.service");
    PrometheusText scrape = awaitScrape("comes-back failed once and came back by systemd",
        s -> !s.samples("servicemanager_service_restarts_total", "service", "comes-back", "cause", "systemd").isEmpty());
    assertThat(scrape.value("servicemanager_service_failures_total", "service", "comes-back", "reason", "exit-code:2"))
        .isEqualTo(1);
    assertThat(scrape.value("servicemanager_service_restarts_total", "service", "comes-back", "cause", "systemd"))
        .isEqualTo(1);
    assertThat(scrape.samples("servicemanager_service_failures_total", "service", "vault")).isEmpty();
    assertThat(scrape.samples("servicemanager_service_restarts_total", "service", "vault")).isEmpty();
    NodeTools.Result check = Promtool.checkMetrics(scrapeText());
    assertThat(check.exitCode()).as(check.describe()).isZero();
  }

  @Test
  @DisplayName("promtool check metrics passes a real scrape, after actions filled the histograms")
  void promtool() {
    assertThat(post("oneshot-ok", "restart")).isEqualTo(200);
    awaitScrape("an action recorded", s -> s.sum("servicemanager_actions_total") > 0);
    String text = scrapeText();
    NodeTools.Result check = Promtool.checkMetrics(text);
    assertThat(check.exitCode()).as(check.describe()).isZero();
    assertThat(text).contains("servicemanager_action_duration_seconds_bucket{", "servicemanager_service_state{");
    assertThat(text).doesNotContainPattern("le=\"[^\"]*E[^\"]*\"");
  }

  @Test
  @DisplayName("Prometheus' Accept header gets OpenMetrics 1.0.0 ending in # EOF; no Accept, or text/plain first, gets the text format")
  void openMetricsWhenAsked() {
    HttpResponse<Buffer> om = http.get(app.httpPort(), "127.0.0.1", "/metrics")
        .putHeader("Accept", PROMETHEUS_ACCEPT).send().await();
    assertThat(om.statusCode()).as(om.bodyAsString()).isEqualTo(200);
    assertThat(om.getHeader("Content-Type")).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    // It varies by Accept (the format) and, like every answer, by Accept-Encoding (compression).
    assertThat(om.getHeader("Vary").toLowerCase(java.util.Locale.ROOT).split("\\s*,\\s*"))
        .containsExactlyInAnyOrder("accept", "accept-encoding");
    String body = om.bodyAsString();
    assertThat(body).endsWith("\n# EOF\n");
    assertThat(body).contains("# TYPE servicemanager_dbus_connected gauge\n", "servicemanager_service_state{",
        "# TYPE process_cpu_seconds counter\n", "process_cpu_seconds_total ");
    assertThat(body.indexOf("# EOF")).as("one # EOF, the last line").isEqualTo(body.length() - "# EOF\n".length());

    HttpResponse<Buffer> text = http.get(app.httpPort(), "127.0.0.1", "/metrics")
        .putHeader("Accept", "text/plain;version=0.0.4,application/openmetrics-text;q=0.5").send().await();
    assertThat(text.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text.bodyAsString()).doesNotContain("# EOF");
    HttpResponse<Buffer> refused = http.get(app.httpPort(), "127.0.0.1", "/metrics")
        .putHeader("Accept", "application/openmetrics-text;q=0, */*").send().await();
    assertThat(refused.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(scrapeText()).as("no Accept at all").doesNotContain("# EOF");
  }

  @Test
  @DisplayName("With metrics.public false (the default), a scrape without credentials is refused with 401")
  void notPublic() {
    Vertx closed = Vertx.vertx();
    try {
      Application locked = Application.deploy(closed, TestConfigs.forBus(systemd.busAddress()), catalogue()).await();
      HttpResponse<Buffer> response = WebClient.create(closed).get(locked.httpPort(), "127.0.0.1", "/metrics").send().await();
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.bodyAsString()).doesNotContain("servicemanager_");
    } finally {
      closed.close().await();
    }
  }

  @Test
  @DisplayName("Not public: a user who sees every service scrapes; a token limited to one service is 403 (the meters name them all); a wrong password is counted")
  void scrapersByIdentity() {
    Vertx closed = Vertx.vertx();
    try {
      AppConfig config = TestConfigs.forBus(systemd.busAddress());
      TestConfigs.writeUsers(config.auth().usersFile(), "tokens:", "  one-service:",
          "    sha256: \"" + io.servicemanager.auth.Tokens.sha256Hex("only-sleeper") + "\"",
          "    role: viewer", "    services: [sleeper]");
      Application locked = Application.deploy(closed, config, catalogue()).await();
      WebClient client = WebClient.create(closed);
      HttpResponse<Buffer> limited = client.get(locked.httpPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer only-sleeper").send().await();
      assertThat(limited.statusCode()).as(limited.bodyAsString()).isEqualTo(403);
      assertThat(limited.bodyAsString()).doesNotContain("servicemanager_");
      HttpResponse<Buffer> limitedOpenMetrics = client.get(locked.httpPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", "Bearer only-sleeper").putHeader("Accept", PROMETHEUS_ACCEPT).send().await();
      assertThat(limitedOpenMetrics.statusCode()).as("OpenMetrics too: the states name every service").isEqualTo(403);
      assertThat(limitedOpenMetrics.bodyAsString()).doesNotContain("servicemanager_service_state");
      HttpResponse<Buffer> wrong = client.get(locked.httpPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", TestConfigs.basic(TestConfigs.OPERATOR, "not-the-password")).send().await();
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<Buffer> operator = client.get(locked.httpPort(), "127.0.0.1", "/metrics")
          .putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
      assertThat(operator.statusCode()).as(operator.bodyAsString()).isEqualTo(200);
      assertThat(PrometheusText.parse(operator.bodyAsString()).value("servicemanager_login_failures_total"))
          .isEqualTo(1.0);
    } finally {
      closed.close().await();
    }
  }
}
