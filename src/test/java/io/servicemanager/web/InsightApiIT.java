package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.FrameInbox;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The insight routes on real systemd, per identity: one service's timeline and statistics, and the
 * caller's services ranked by trouble; a service that is not the caller's is 404, a hidden one 403,
 * and every bad parameter 400 with its name.
 */
class InsightApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String VIEWER = "vera";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("flaky.service", "[Service]\nExecStart=/bin/sh -c 'exit 1'\n")
      .withUnit("steady.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("secret.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("other.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static WebClient http;

  @BeforeAll
  static void deploy() {
    systemd.sandbox().systemctlOk("start", "steady.service");
    vertx = Vertx.vertx();
    FrameInbox transitions = new FrameInbox("transition");
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSITION, m -> transitions.add(m.body()));
    AppConfig config = TestConfigs.forBus(systemd.sandbox().busAddress());
    TestConfigs.writeUsers(config.auth().usersFile(), "  " + VIEWER + ":",
        "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: viewer",
        "    services: [flaky, steady, secret]");
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(service("flaky", true),
        service("steady", true), service("secret", false), service("other", true)))).await();
    http = WebClient.create(vertx);
    transitions.await(t -> "flaky".equals(t.getString("service")), WAIT);
    systemd.sandbox().systemctl("start", "flaky.service");
    transitions.await(t -> "flaky".equals(t.getString("service")) && t.getString("reason") != null, WAIT);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static ServiceDefinition service(String name, boolean visible) {
    return new ServiceDefinition(name, name + ".service", name, name, Permission.ALL, visible);
  }

  static JsonObject get(String user, String uri, int expected) {
    var response = http.request(HttpMethod.GET, app.httpPort(), "127.0.0.1", uri)
        .putHeader("Authorization", TestConfigs.basic(user, TestConfigs.PASSWORD)).send().await();
    assertThat(response.statusCode()).as("GET %s as %s: %s", uri, user, response.bodyAsString()).isEqualTo(expected);
    return response.bodyAsJsonObject();
  }

  @Test
  @DisplayName("Statistics give uptime with its observed share, failures with the last in plain words, restarts by cause and operations")
  void statistics() {
    JsonObject stats = get(TestConfigs.OPERATOR, "/api/services/flaky/stats?window=24h", 200);
    assertThat(stats.getString("service")).isEqualTo("flaky");
    assertThat(stats.getString("window")).isEqualTo("24h");
    assertThat(stats.getInteger("failures")).isEqualTo(1);
    assertThat(stats.getJsonObject("last_failure").getString("words")).isEqualTo("exited with status 1");
    assertThat(stats.getJsonObject("last_failure").getString("reason")).isEqualTo("exit-code:1");
    assertThat(stats.getJsonObject("restarts").fieldNames()).containsExactlyInAnyOrder("operation", "systemd", "external");
    assertThat(stats.getDouble("observed_share")).isBetween(0.0, 1.0);
    assertThat(stats.getJsonArray("patterns")).hasSize(1);
    assertThat(stats.getJsonArray("patterns").getJsonObject(0).getInteger("count")).isEqualTo(1);
    assertThat(stats.getJsonObject("streak").getBoolean("up")).isFalse();
    assertThat(stats.getJsonObject("operations").getInteger("count")).isZero();
    assertThat(stats.getValue("flapping")).isNull();
  }

  @Test
  @DisplayName("The timeline lists the window's transitions oldest first, at most limit of them (the latest), and says when it cut")
  void timeline() {
    JsonObject all = get(TestConfigs.OPERATOR, "/api/services/flaky/timeline", 200);
    JsonArray transitions = all.getJsonArray("transitions");
    assertThat(transitions.size()).isGreaterThanOrEqualTo(2);
    JsonObject last = transitions.getJsonObject(transitions.size() - 1);
    assertThat(last.getString("to")).isEqualTo("failed");
    assertThat(last.getString("message")).isEqualTo("exited with status 1");
    assertThat(last.getString("cause")).isEqualTo("external");
    assertThat(all.getBoolean("truncated")).isFalse();
    JsonObject one = get(TestConfigs.OPERATOR, "/api/services/flaky/timeline?limit=1", 200);
    assertThat(one.getJsonArray("transitions")).containsExactly(last);
    assertThat(one.getBoolean("truncated")).isTrue();
    JsonObject before = get(TestConfigs.OPERATOR,
        "/api/services/flaky/timeline?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z", 200);
    assertThat(before.getJsonArray("transitions")).isEmpty();
  }

  @Test
  @DisplayName("Per identity: another's service is 404 as if it did not exist, a hidden service 403 state_hidden, for timeline and stats alike")
  void perIdentity() {
    assertThat(get(VIEWER, "/api/services/flaky/stats", 200).getInteger("failures")).isEqualTo(1);
    for (String route : List.of("stats", "timeline")) {
      assertThat(get(VIEWER, "/api/services/other/" + route, 404).getString("error")).isEqualTo("unknown_service");
      assertThat(get(VIEWER, "/api/services/nope/" + route, 404).getString("error")).isEqualTo("unknown_service");
      JsonObject hidden = get(VIEWER, "/api/services/secret/" + route, 403);
      assertThat(hidden.getString("error")).isEqualTo("state_hidden");
      assertThat(get(TestConfigs.OPERATOR, "/api/services/secret/" + route, 403).getString("error"))
          .as("hidden from everyone").isEqualTo("state_hidden");
    }
  }

  @Test
  @DisplayName("Insights rank the caller's services by trouble, leaving out others' and hidden ones")
  void insights() {
    JsonArray mine = get(VIEWER, "/api/insights?window=7d", 200).getJsonArray("services");
    assertThat(mine.stream().map(s -> ((JsonObject) s).getString("service")).toList()).containsExactly("flaky", "steady");
    JsonArray every = get(TestConfigs.OPERATOR, "/api/insights", 200).getJsonArray("services");
    assertThat(every.getJsonObject(0).getString("service")).isEqualTo("flaky");
    assertThat(every.stream().map(s -> ((JsonObject) s).getString("service")).toList())
        .containsExactlyInAnyOrder("flaky", "steady", "other");
  }

  @Test
  @DisplayName("All the caller's timelines come in one request, per identity: others' and hidden services are left out; each transition carries only what a bar draws")
  void timelinesOfEveryCard() {
    JsonObject mine = get(VIEWER, "/api/timeline?window=24h", 200);
    assertThat(mine.getString("window")).isEqualTo("24h");
    assertThat(mine.getJsonArray("gaps")).isNotNull();
    assertThat(names(mine)).as("the viewer's, hidden one left out").containsExactly("flaky", "steady");
    JsonObject every = get(TestConfigs.OPERATOR, "/api/timeline", 200);
    assertThat(every.getString("window")).as("default").isEqualTo("24h");
    assertThat(names(every)).as("every visible one, in the services' order, never the hidden one")
        .containsExactly("flaky", "steady", "other");
    JsonObject flaky = every.getJsonArray("services").getJsonObject(0);
    assertThat(flaky.getBoolean("truncated")).isFalse();
    JsonArray transitions = flaky.getJsonArray("transitions");
    JsonObject last = transitions.getJsonObject(transitions.size() - 1);
    assertThat(last.fieldNames()).containsExactlyInAnyOrder("at", "from", "to", "message");
    assertThat(last.getString("to")).isEqualTo("failed");
    assertThat(last.getString("message")).isEqualTo("exited with status 1");
    JsonArray single = get(TestConfigs.OPERATOR, "/api/services/flaky/timeline", 200).getJsonArray("transitions");
    assertThat(transitions.stream().map(t -> ((JsonObject) t).getString("at")).toList())
        .as("the same transitions as the service's own timeline")
        .isEqualTo(single.stream().map(t -> ((JsonObject) t).getString("at")).toList());
    assertThat(every.encode()).doesNotContain("secret");
  }

  @Test
  @DisplayName("All timelines: a bad window or an unknown parameter is 400 naming it")
  void timelinesBadParameters() {
    JsonObject window = get(TestConfigs.OPERATOR, "/api/timeline?window=1h", 400);
    assertThat(window.getString("error")).isEqualTo("invalid_window");
    assertThat(window.getString("message")).startsWith("window:").contains("24h, 7d, 30d");
    JsonObject repeated = get(VIEWER, "/api/timeline?window=24h&window=7d", 400);
    assertThat(repeated.getString("error")).isEqualTo("bad_request");
    assertThat(repeated.getString("message")).startsWith("window:");
    JsonObject unknown = get(VIEWER, "/api/timeline?service=flaky", 400);
    assertThat(unknown.getString("error")).isEqualTo("bad_request");
    assertThat(unknown.getString("message")).contains("service");
  }

  private static List<String> names(JsonObject timelines) {
    return timelines.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("service")).toList();
  }

  @Test
  @DisplayName("A bad window, time, limit or an unknown parameter is 400 naming the parameter, and changes nothing")
  void badParameters() {
    JsonObject window = get(TestConfigs.OPERATOR, "/api/services/flaky/stats?window=5h", 400);
    assertThat(window.getString("error")).isEqualTo("invalid_window");
    assertThat(window.getString("message")).startsWith("window:");
    assertThat(get(TestConfigs.OPERATOR, "/api/insights?window=1y", 400).getString("error")).isEqualTo("invalid_window");
    JsonObject time = get(TestConfigs.OPERATOR, "/api/services/flaky/timeline?from=yesterday", 400);
    assertThat(time.getString("error")).isEqualTo("invalid_time");
    assertThat(time.getString("message")).startsWith("from:");
    assertThat(get(TestConfigs.OPERATOR,
        "/api/services/flaky/timeline?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400).getString("error"))
        .isEqualTo("invalid_time");
    JsonObject limit = get(TestConfigs.OPERATOR, "/api/services/flaky/timeline?limit=0", 400);
    assertThat(limit.getString("error")).isEqualTo("invalid_limit");
    assertThat(limit.getString("message")).startsWith("limit:");
    assertThat(get(TestConfigs.OPERATOR, "/api/services/flaky/timeline?limit=1001", 400).getString("error"))
        .isEqualTo("invalid_limit");
    JsonObject unknown = get(TestConfigs.OPERATOR, "/api/services/flaky/stats?windw=24h", 400);
    assertThat(unknown.getString("error")).isEqualTo("bad_request");
    assertThat(unknown.getString("message")).contains("windw");
  }
}
