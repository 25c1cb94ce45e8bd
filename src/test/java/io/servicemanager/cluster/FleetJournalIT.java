package io.servicemanager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.FleetFixture;
import io.servicemanager.testing.FleetPage;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The journal and resources of another node's service, through a dashboard: two nodes in JVMs of
 * their own, each on a systemd sandbox with a private journald (DESIGN §6). Both have units of the
 * same names that print and run differently, so an answer shows which host it came from. alpha
 * serves the dashboard; beta only its own units.
 */
@DisplayName("The journal and resources of another node's service")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetJournalIT {
  private static final String DASH = "alpha";
  private static final String B = "beta";
  private static final List<String> NODES = List.of(DASH, B);
  private static final String TALKER = "h17j-talker";
  private static final String QUIET = "h17j-quiet";
  /** Generous: JVMs start at once on a shared, busy 2-core machine. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static FleetFixture fleet;
  private static int httpPort;

  /**
   * On beta the talker runs four processes (a shell and three sleeps), on alpha two; each prints its
   * node's name when it starts, and again, numbered, at each SIGUSR1 ({@link #poke}). The lines come
   * from the long-lived shell: journald knows its control group (a short-lived process's line can
   * reach the journal after the process is gone, without one).
   */
  private static String talker(String node) {
    String sleeps = node.equals(B) ? "sleep 100000 & sleep 100000 & sleep 100000 &" : "sleep 100000 &";
    return "[Service]\nExecStart=/bin/sh -c 'echo talker-started-on-" + node + "; i=0; "
        + "poke() { i=$$((i+1)); echo talker-poked-on-" + node + "-$$i; }; trap poke USR1; " + sleeps + " while :; do wait; done'\n";
  }

  /** The talker of {@code node} prints a new line. */
  private static void poke(String node) {
    fleet.sandbox(node).systemctlOk("kill", "--kill-who=main", "--signal=USR1", TALKER + ".service");
  }

  /** The talker's journal may be read; the quiet one's not (logs_allowed left out); "limited" sees only alpha's talker. */
  private static FleetFixture.Service[] services(String node) {
    return new FleetFixture.Service[] {
        FleetFixture.service(TALKER, "Talker", "prints", "all").withRunningUnit(talker(node)).withLogs(),
        FleetFixture.service(QUIET, "Quiet", "no journal", "all")
            .withRunningUnit("[Service]\nExecStart=/bin/sh -c 'echo quiet-on-" + node + "; exec sleep 1000'\n")};
  }

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = FleetFixture.in(dir).journal().node(DASH, services(DASH)).node(B, services(B))
        .users("  limited:\n    password: \"" + TestConfigs.operatorHash() + "\"", "    role: operator", "    services: [" + TALKER + "]")
        .start();
    httpPort = fleet.httpPort();
    for (String node : NODES) {
      fleet.sandbox(node).awaitInJournal(l -> l.contains("talker-started-on-" + node), "talker-started-on-" + node, WAIT);
    }
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static JsonObject ok(String user, String path) throws Exception {
    HttpResponse<String> r = fleet.get(user, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> messages(JsonArray entries) {
    return entries.stream().map(JsonObject.class::cast).map(e -> e.getString("message")).toList();
  }

  @Test
  @Order(1)
  @DisplayName("GET /api/nodes/beta/services/{name}/logs returns beta's journal lines of its unit, not alpha's same-named unit's, and pages back with before")
  void journalOfAnotherNode() throws Exception {
    JsonObject answer = ok(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + TALKER + "/logs?lines=5");
    assertThat(answer.getString("service")).isEqualTo(TALKER);
    List<String> lines = messages(answer.getJsonArray("entries"));
    assertThat(lines).contains("talker-started-on-beta").noneMatch(l -> l.contains("alpha"));
    assertThat(answer.getJsonArray("entries").getJsonObject(0).fieldNames())
        .contains("at", "priority", "message", "pid", "cursor");

    // As on a single node: more lines, then the ones before a cursor.
    poke(B);
    fleet.sandbox(B).awaitInJournal(l -> l.contains("talker-poked-on-beta"), "the poke's line", WAIT);
    JsonArray newest = ok(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + TALKER + "/logs?lines=1").getJsonArray("entries");
    assertThat(messages(newest)).singleElement().asString().startsWith("talker-poked-on-beta");
    String cursor = newest.getJsonObject(0).getString("cursor");
    JsonArray older = ok(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + TALKER + "/logs?lines=100&before="
        + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)).getJsonArray("entries");
    assertThat(messages(older)).contains("talker-started-on-beta").noneMatch(l -> l.startsWith("talker-poked-on-beta"));

    JsonObject local = ok(TestConfigs.OPERATOR, "/api/services/" + TALKER + "/logs");
    assertThat(messages(local.getJsonArray("entries"))).contains("talker-started-on-alpha").noneMatch(l -> l.contains("beta"));
  }

  @Test
  @Order(2)
  @DisplayName("A refused journal or resources read of beta's service gets the local route's status, code and message")
  void refusalsAsLocal() throws Exception {
    // [node-qualified path, local path with the same situation on alpha, user]
    List<String[]> cases = List.of(
        new String[] {"/api/nodes/beta/services/" + QUIET + "/logs", "/api/services/" + QUIET + "/logs", TestConfigs.OPERATOR},
        new String[] {"/api/nodes/beta/services/" + QUIET + "/logs", "/api/services/" + QUIET + "/logs", "limited"},
        new String[] {"/api/nodes/beta/services/" + QUIET + "/resources", "/api/services/" + QUIET + "/resources", "limited"},
        new String[] {"/api/nodes/beta/services/nothing/logs", "/api/services/nothing/logs", TestConfigs.OPERATOR},
        new String[] {"/api/nodes/beta/services/" + TALKER + "/logs?lines=0", "/api/services/" + TALKER + "/logs?lines=0",
            TestConfigs.OPERATOR},
        new String[] {"/api/nodes/beta/services/" + TALKER + "/logs?before=nonsense", "/api/services/" + TALKER
            + "/logs?before=nonsense", TestConfigs.OPERATOR});
    for (String[] c : cases) {
      HttpResponse<String> remote = fleet.get(c[2], c[0]);
      HttpResponse<String> local = fleet.get(c[2], c[1]);
      assertThat(local.statusCode()).as(c[1] + ": " + local.body()).isBetween(400, 499);
      assertThat(remote.statusCode()).as(c[0] + " as " + c[2] + ": " + remote.body()).isEqualTo(local.statusCode());
      assertThat(new JsonObject(remote.body())).as(c[0] + " as " + c[2]).isEqualTo(new JsonObject(local.body()));
    }
    assertThat(new JsonObject(fleet.get(TestConfigs.OPERATOR, "/api/nodes/beta/services/" + QUIET + "/logs").body()).getString("error"))
        .isEqualTo("logs_not_allowed");
    assertThat(new JsonObject(fleet.get("limited", "/api/nodes/beta/services/" + QUIET + "/logs").body()).getString("error"))
        .isEqualTo("unknown_service");

    // "limited" names alpha's talker only (a plain name): beta's, though it has the same name, does not exist for them.
    assertThat(fleet.get("limited", "/api/services/" + TALKER + "/logs").statusCode()).isEqualTo(200);
    HttpResponse<String> theirs = fleet.get("limited", "/api/nodes/beta/services/" + TALKER + "/logs");
    assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(404);
    assertThat(new JsonObject(theirs.body()).getString("error")).isEqualTo("unknown_service");
    assertThat(fleet.get("limited", "/api/nodes/beta/services/" + TALKER + "/resources").statusCode()).isEqualTo(404);

    HttpResponse<String> nowhere = fleet.get(TestConfigs.OPERATOR, "/api/nodes/delta/services/" + TALKER + "/logs");
    assertThat(nowhere.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(nowhere.body()).getString("error")).isEqualTo("unknown_node");
  }

  @Test
  @Order(3)
  @DisplayName("GET /api/nodes/beta/services/{name}/resources returns beta's unit's figures, not alpha's same-named unit's")
  void resourcesOfAnotherNode() throws Exception {
    JsonObject remote = ok(TestConfigs.OPERATOR, "/api/nodes/" + B + "/services/" + TALKER + "/resources");
    JsonObject local = ok(TestConfigs.OPERATOR, "/api/services/" + TALKER + "/resources");
    assertThat(remote.getString("service")).isEqualTo(TALKER);
    assertThat(remote.fieldNames()).containsExactlyInAnyOrderElementsOf(local.fieldNames());
    assertThat(remote.getLong("tasks_current")).as("beta's talker: a shell and three sleeps").isEqualTo(4L);
    assertThat(local.getLong("tasks_current")).as("alpha's talker: a shell and one sleep").isEqualTo(2L);
    assertThat(remote.getLong("memory_current")).isPositive();
  }

  /** The journalctl processes beta's node JVM runs to follow a journal. */
  private static List<ProcessHandle> betaFollowers() {
    return fleet.process(B).handle().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("journalctl") && c.contains("--follow")).orElse(false))
        .toList();
  }

  private static void awaitEnded(List<ProcessHandle> followers, String what) throws Exception {
    for (ProcessHandle p : followers) {
      p.onExit().get(90, TimeUnit.SECONDS);
    }
    assertThat(betaFollowers()).as(what).isEmpty();
  }

  private static boolean isLog(JsonObject frame, String node) {
    return "log".equals(frame.getString("type")) && node.equals(frame.getString("node"));
  }

  /** The cursors of the frame's poke lines. */
  private static Set<String> reloads(JsonObject frame) {
    return frame.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("message").startsWith("talker-poked-on-")).map(e -> e.getString("cursor"))
        .collect(Collectors.toSet());
  }

  @Test
  @Order(4)
  @DisplayName("A /ws client of alpha following beta's talker gets its newest lines, then a line appended on beta, each log frame with node beta; its leaving stops beta's journalctl")
  void liveFollowAcrossNodes() throws Exception {
    try (WsClient ws = fleet.ws(TestConfigs.OPERATOR)) {
      ws.awaitType("snapshot", WAIT);
      ws.send(new JsonObject().put("type", "logs").put("service", TALKER).put("node", B).put("follow", true));
      JsonObject tail = ws.await(f -> isLog(f, B), WAIT);
      assertThat(tail.getString("service")).isEqualTo(TALKER);
      assertThat(messages(tail.getJsonArray("entries"))).contains("talker-started-on-beta").noneMatch(m -> m.contains("alpha"));
      assertThat(betaFollowers()).as("one journalctl on beta follows for alpha").hasSize(1);

      // alpha's same-named unit prints too: only beta's line reaches this follower of beta's.
      poke(DASH);
      poke(B);
      Set<String> before = reloads(tail);
      JsonObject live = ws.await(f -> isLog(f, B) && !before.containsAll(reloads(f)), WAIT);
      assertThat(messages(live.getJsonArray("entries"))).isNotEmpty().allMatch(m -> m.startsWith("talker-poked-on-beta-"));
      assertThat(ws.allReceived()).filteredOn(f -> "log".equals(f.getString("type")))
          .allSatisfy(f -> assertThat(f.getString("node")).isEqualTo(B))
          .allSatisfy(f -> assertThat(messages(f.getJsonArray("entries"))).noneMatch(m -> m.contains("alpha")));

      // A refusal on beta reaches the socket as the local one would, with the node.
      ws.send(new JsonObject().put("type", "logs").put("service", QUIET).put("node", B).put("follow", true));
      JsonObject refused = ws.await(f -> "error".equals(f.getString("type")) && QUIET.equals(f.getString("service")), WAIT);
      assertThat(refused.getString("code")).isEqualTo("logs_not_allowed");
      assertThat(refused.getString("node")).isEqualTo(B);

      List<ProcessHandle> following = betaFollowers();
      ws.send(new JsonObject().put("type", "logs").put("service", TALKER).put("node", B).put("follow", false));
      awaitEnded(following, "beta's journalctl stops when alpha's last follower leaves");
    }
  }

  @Test
  @Order(5)
  @DisplayName("beta's talker page opened while beta is down asks beta nothing and says so, then fills and follows"
      + " beta's journal by itself once beta is back")
  void pageFollowsOnceTheHostIsBack() throws Exception {
    ChromeDriver browser = HeadlessChromium.start();
    try {
      String url = "http://127.0.0.1:" + httpPort + "/";
      HeadlessChromium.logIn(browser, url, TestConfigs.OPERATOR, TestConfigs.PASSWORD);
      WebDriverWait wait = HeadlessChromium.await(browser, WAIT);
      fleet.process(B).kill9();
      browser.get(url + "#/");
      wait.until(d -> "false".equals(d.findElement(FleetPage.heading(B))
          .getAttribute("data-reachable")));
      browser.get(url + "#/nodes/" + B + "/services/" + TALKER);
      By status = By.cssSelector("#service-page .journal-status");
      wait.until(d -> d.findElement(By.cssSelector("#service-page .page-badge")).getText().equals("Unreachable"));
      wait.until(d -> d.findElement(status).getText().equals(B + " is not answering: the journal follows once it is back."));
      assertThat(browser.findElements(By.cssSelector("#service-page .journal-line"))).isEmpty();
      assertThat(browser.findElement(By.cssSelector("#service-page .resource-list")).getText()).contains("not answering");
      assertThat(browser.findElements(By.cssSelector("#service-page .uptime-value"))).extracting(WebElement::getText)
          .containsOnly("—");
      assertThat(browser.findElement(By.cssSelector("#service-page .bar-slot")).getText())
          .isEqualTo("Not available while " + B + " is not answering.");
      assertThat(browser.findElement(By.cssSelector("#service-page .state-legend")).isDisplayed()).isFalse();

      fleet.restart(B);

      wait.until(d -> d.findElement(By.cssSelector("#service-page .page-badge")).getText().equals("Running"));
      wait.until(d -> d.findElements(By.cssSelector("#service-page .uptime-value")).stream()
          .allMatch(v -> v.getText().endsWith("%")));
      wait.until(d -> d.findElement(By.cssSelector("#service-page .resource-list")).getText().contains("Tasks"));
      wait.until(d -> !d.findElements(By.cssSelector("#service-page .bar-slot svg")).isEmpty());
      assertThat(browser.findElement(By.cssSelector("#service-page .state-legend")).isDisplayed()).isTrue();
      wait.until(d -> d.findElements(By.cssSelector("#service-page .journal-line .journal-message")).stream()
          .anyMatch(m -> m.getText().equals("talker-started-on-" + B)));
      wait.until(d -> d.findElement(status).getText().startsWith("Following live"));
      By lines = By.cssSelector("#service-page .journal-line");
      int shown = browser.findElements(lines).size();
      poke(B); // and live: a line printed now on beta
      wait.until(d -> d.findElements(lines).size() > shown);
      assertThat(browser.findElements(lines).get(shown).getText()).contains("talker-poked-on-" + B);
      assertThat(HeadlessChromium.consoleProblems(browser)).as("console errors and CSP violations").isEmpty();
    } finally {
      browser.quit();
    }
  }

  @Test
  @Order(6)
  @DisplayName("When the dashboard dies (kill -9) while following, beta ends its journalctl once the follow's lease is not renewed")
  void leaseEndsFollowOfDeadDashboard() throws Exception {
    WsClient ws = fleet.ws(TestConfigs.OPERATOR);
    ws.awaitType("snapshot", WAIT);
    ws.send(new JsonObject().put("type", "logs").put("service", TALKER).put("node", B).put("follow", true));
    ws.await(f -> isLog(f, B), WAIT);
    List<ProcessHandle> following = betaFollowers();
    assertThat(following).hasSize(1);
    var ended = fleet.process(B).next(l -> l.contains("journal follow of " + TALKER + " for " + DASH + " was not renewed"));
    fleet.process(DASH).kill9();
    fleet.process(B).awaitFuture(ended, "beta ending the follow of the dead dashboard", Duration.ofSeconds(120));
    awaitEnded(following, "no journalctl left on beta");
  }
}
