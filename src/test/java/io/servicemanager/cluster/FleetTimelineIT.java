package io.servicemanager.cluster;

import static io.servicemanager.testing.FleetPage.card;
import static io.servicemanager.testing.FleetPage.heading;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.FleetFixture;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The cards' 24 h bars of another host: {@code GET /api/nodes/{node}/timeline}, answered by that node,
 * and the dashboard that draws them. Two nodes in JVMs of their own on 127.0.0.1, each on a systemd
 * sandbox of its own; {@code dash} serves the page. Both have {@code sm-tl-shared}; game-b's crashes
 * once, dash's never, so a bar tells whose data it is. game-b also has a service whose state is hidden.
 * The dashboard's {@code limited} user may see game-b's shared service only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTimelineIT {
  private static final String DASH = "dash";
  private static final String B = "game-b";
  private static final List<String> NODES = List.of(DASH, B);
  private static final String SHARED = "sm-tl-shared";
  private static final String SECRET = "sm-tl-secret";
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration START = FleetFixture.START;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static FleetFixture fleet;
  private static int httpPort;
  private static ChromeDriver browser;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static String own(String node) {
    return "sm-tl-own-" + node;
  }

  private static FleetFixture.Service shared() {
    return FleetFixture.service(SHARED, "Shared", "on every host", "all");
  }

  private static FleetFixture.Service ownOf(String node) {
    return FleetFixture.service(own(node), "Own " + node, "this host's own", "all");
  }

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = FleetFixture.in(dir)
        .node(DASH, shared(), ownOf(DASH))
        .node(B, shared(), ownOf(B), FleetFixture.service(SECRET, "Secret", "its state is hidden", "all").withStateHidden())
        .users("  limited:\n    password: \"" + TestConfigs.operatorHash() + "\"", "    role: viewer",
            "    services: [\"" + B + "/" + SHARED + "\"]")
        .start();
    httpPort = fleet.httpPort();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static JsonObject timelines(String user, String path) throws Exception {
    HttpResponse<String> r = fleet.get(user, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> names(JsonObject timelines) {
    return timelines.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("service")).toList();
  }

  /** The ActiveStates the service's transitions of the window lead to, oldest first. */
  private static List<String> statesOf(JsonObject timelines, String service) {
    JsonObject timeline = timelines.getJsonArray("services").stream().map(JsonObject.class::cast)
        .filter(s -> service.equals(s.getString("service"))).findFirst()
        .orElseThrow(() -> new AssertionError(service + " not in " + timelines));
    return timeline.getJsonArray("transitions", new JsonArray()).stream().map(t -> ((JsonObject) t).getString("to")).toList();
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(code);
  }

  private static boolean isStatus(JsonObject frame, String node, String name, String status) {
    return "status".equals(frame.getString("type")) && frame.getValue("service") instanceof JsonObject view
        && node.equals(view.getString("node")) && name.equals(view.getString("name")) && status.equals(view.getString("status"));
  }

  // ---- the route ----------------------------------------------------------------------------------

  @Test
  @Order(1)
  @DisplayName("game-b's timelines read through the dashboard are game-b's: its shared unit's crash is there, not in the dashboard's own; its hidden service is left out")
  void anotherHostsTimelines() throws Exception {
    try (WsClient ws = fleet.ws(TestConfigs.OPERATOR)) {
      ws.awaitType("snapshot", WAIT);
      fleet.sandbox(B).systemctlOk("kill", "--signal=KILL", SHARED + ".service");
      ws.await(f -> isStatus(f, B, SHARED, "failed"), WAIT);
      fleet.sandbox(B).systemctlOk("start", SHARED + ".service");
      ws.await(f -> isStatus(f, B, SHARED, "active"), WAIT);
    }
    JsonObject theirs = timelines(TestConfigs.OPERATOR, "/api/nodes/" + B + "/timeline?window=24h");
    assertThat(theirs.getString("window")).isEqualTo("24h");
    assertThat(theirs.getString("from")).isNotBlank();
    assertThat(theirs.getValue("gaps")).isInstanceOf(JsonArray.class);
    assertThat(names(theirs)).as("game-b's services in its order, the hidden one left out").containsExactly(SHARED, own(B));
    assertThat(statesOf(theirs, SHARED)).containsSubsequence("failed", "active");

    JsonObject ours = timelines(TestConfigs.OPERATOR, "/api/timeline?window=24h");
    assertThat(names(ours)).containsExactly(SHARED, own(DASH));
    assertThat(statesOf(ours, SHARED)).as("the dashboard's own unit of the same name never failed").doesNotContain("failed");
    JsonObject oursViaFleet = timelines(TestConfigs.OPERATOR, "/api/nodes/" + DASH + "/timeline?window=7d");
    assertThat(oursViaFleet.getString("window")).isEqualTo("7d");
    assertThat(names(oursViaFleet)).containsExactly(SHARED, own(DASH));
    assertThat(statesOf(oursViaFleet, SHARED)).doesNotContain("failed");
  }

  @Test
  @Order(2)
  @DisplayName("An identity that may see only game-b's shared service gets that one's timeline from game-b and none of the dashboard's")
  void limitedIdentity() throws Exception {
    JsonObject theirs = timelines("limited", "/api/nodes/" + B + "/timeline");
    assertThat(theirs.getString("window")).as("the default window").isEqualTo("24h");
    assertThat(names(theirs)).containsExactly(SHARED);
    assertThat(statesOf(theirs, SHARED)).contains("failed");
    assertThat(names(timelines("limited", "/api/nodes/" + DASH + "/timeline"))).isEmpty();
  }

  @Test
  @Order(3)
  @DisplayName("An unknown node is 404 unknown_node; a bad window 400 invalid_window; an unknown parameter 400 bad_request")
  void errors() throws Exception {
    assertError(fleet.get(TestConfigs.OPERATOR, "/api/nodes/game-z/timeline"), 404, "unknown_node");
    assertError(fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/timeline?window=1y"), 400, "invalid_window");
    assertError(fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/timeline?from=2026-01-01T00:00:00Z"), 400, "bad_request");
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/nodes/" + B + "/timeline"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  // ---- the dashboard ------------------------------------------------------------------------------

  private static WebDriverWait await(Duration timeout) {
    return HeadlessChromium.await(browser, timeout);
  }

  private static boolean hasBar(String node, String name) {
    return !browser.findElement(card(node, name)).findElements(By.cssSelector(".card-bar svg rect.seg")).isEmpty();
  }

  private static String barLabel(String node, String name) {
    return browser.findElement(card(node, name)).findElement(By.cssSelector(".card-bar svg")).getAttribute("aria-label");
  }

  @SuppressWarnings("unchecked")
  private static List<String> timelineRequests() {
    return (List<String>) browser.executeScript("return performance.getEntriesByType('resource').map((e) => e.name)"
        + ".filter((n) => n.includes('timeline'));");
  }

  private static void screenshot(String name) throws IOException {
    for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
      HeadlessChromium.viewport(browser, size[0], size[1]);
      browser.executeScript("arguments[0].scrollIntoView();",
          browser.findElement(heading(B)));
      Files.write(SHOTS.resolve("fleet-bars-" + name + "-" + size[0] + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
    HeadlessChromium.viewport(browser, 1366, 768);
  }

  @Test
  @Order(4)
  @DisplayName("Every host's cards get their 24 h bar, one request per host, game-b's from game-b; lost, its cards show none; back, one request draws them again")
  void everyHostsBars() throws Exception {
    Files.createDirectories(SHOTS);
    browser = HeadlessChromium.start();
    HeadlessChromium.logIn(browser, "http://127.0.0.1:" + httpPort + "/", TestConfigs.OPERATOR, TestConfigs.PASSWORD);
    HeadlessChromium.viewport(browser, 1366, 768);
    browser.get("http://127.0.0.1:" + httpPort + "/#/");
    for (String node : NODES) {
      for (String name : List.of(SHARED, own(node))) {
        await(WAIT).until(d -> d.findElements(card(node, name)).size() == 1 && hasBar(node, name));
      }
    }
    assertThat(barLabel(B, SHARED)).as("game-b's crash").contains("1 failure");
    assertThat(barLabel(DASH, SHARED)).as("the dashboard's unit of the same name").contains("0 failures");
    assertThat(browser.findElement(card(B, SECRET)).findElements(By.cssSelector(".card-bar *"))).as("a hidden state has no bar").isEmpty();
    assertThat(timelineRequests()).as("one request per host, not per card")
        .containsExactlyInAnyOrder("http://127.0.0.1:" + httpPort + "/api/timeline?window=24h",
            "http://127.0.0.1:" + httpPort + "/api/nodes/" + B + "/timeline?window=24h");
    assertThat(HeadlessChromium.axe(browser)).as("axe violations").isEmpty();
    screenshot("reachable");

    // Lost: no bar claims a state its host may no longer be in; the dashboard's own keep theirs.
    NodeProcess dash = fleet.process(DASH);
    CompletableFuture<String> lost = dash.next(l -> l.contains("fleet: node " + B + " unreachable"));
    fleet.process(B).kill9();
    dash.awaitFuture(lost, B + " unreachable on the dashboard", WAIT);
    for (String name : List.of(SHARED, own(B))) {
      await(WAIT).until(d -> "unreachable".equals(d.findElement(card(B, name)).getAttribute("data-status")));
      assertThat(browser.findElement(card(B, name)).findElements(By.cssSelector(".card-bar *"))).as(name + "'s bar").isEmpty();
      assertThat(browser.findElement(card(B, name)).findElement(By.cssSelector(".card-bar")).getDomAttribute("title")).isNull();
    }
    await(WAIT).until(d -> "unreachable".equals(d.findElement(card(B, SECRET)).getAttribute("data-status")));
    assertThat(browser.findElement(card(B, SECRET)).findElements(By.cssSelector("button.action")))
        .as("a hidden service of a lost host is unreachable too: no action offered").allSatisfy(b -> assertThat(b.isEnabled()).isFalse());
    assertThat(hasBar(DASH, SHARED)).isTrue();
    assertError(fleet.get(TestConfigs.OPERATOR, "/api/nodes/" + B + "/timeline"), 503, "node_unreachable");
    screenshot("unreachable");

    // Back: its fresh snapshot replaced what was shown, and one request brings its bars back.
    CompletableFuture<String> back = dash.next(l -> l.contains("fleet: node " + B + " reachable"));
    fleet.restart(B);
    dash.awaitFuture(back, B + " reachable again", START);
    for (String name : List.of(SHARED, own(B))) {
      await(WAIT).until(d -> "active".equals(d.findElement(card(B, name)).getAttribute("data-status")) && hasBar(B, name));
    }
    assertThat(barLabel(B, SHARED)).contains("1 failure");
    assertThat(timelineRequests().stream().filter(u -> u.contains("/api/nodes/" + B + "/timeline"))).as("one more for game-b")
        .hasSize(2);
    assertThat(HeadlessChromium.consoleProblems(browser)).as("console errors and CSP violations").isEmpty();
  }
}
