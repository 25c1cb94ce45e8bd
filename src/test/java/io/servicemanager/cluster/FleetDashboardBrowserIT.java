package io.servicemanager.cluster;

import static io.servicemanager.testing.FleetPage.card;
import static io.servicemanager.testing.FleetPage.heading;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.FleetFixture;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The grouped dashboard of a fleet in a real headless Chromium: three nodes in JVMs of their own on
 * 127.0.0.1 (as {@link FleetFeedIT}), each on a systemd sandbox of its own; {@code dash} serves the
 * page. Every node has {@code sm-dash-shared}; each has one service of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetDashboardBrowserIT {
  private static final String DASH = "dash";
  private static final String B = "game-b";
  private static final String C = "game-c";
  private static final List<String> NODES = List.of(DASH, B, C);
  private static final String SHARED = "sm-dash-shared";
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Reported started, then dies 3 s later: a start_failed follows. */
  private static final String DIES_SOON = "[Service]\nExecStart=/bin/sh -c 'sleep 3; exit 1'\n";

  @TempDir static Path dir;
  private static FleetFixture fleet;
  private static final Map<String, SystemdSandbox> sandboxes = new LinkedHashMap<>();
  private static int httpPort;
  private static ChromeDriver browser;

  private static String own(String node) {
    return "sm-dash-own-" + node;
  }

  @BeforeAll
  static void startFleet() throws Exception {
    FleetFixture.Builder builder = FleetFixture.in(dir);
    for (String node : NODES) {
      builder.node(node, FleetFixture.service(SHARED, "Shared", "on every host", "all"),
          FleetFixture.service(own(node), "Own " + node, "this host's own", "all"));
    }
    fleet = builder.start();
    NODES.forEach(node -> sandboxes.put(node, fleet.sandbox(node)));
    httpPort = fleet.httpPort();
    Files.createDirectories(SHOTS);
    browser = HeadlessChromium.start();
    HeadlessChromium.logIn(browser, url(), TestConfigs.OPERATOR, TestConfigs.PASSWORD);
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

  /** After every test: no console errors and no CSP violations. */
  @AfterEach
  void noConsoleProblems() {
    assertThat(HeadlessChromium.consoleProblems(browser)).as("console errors and CSP violations").isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static String url() {
    return "http://127.0.0.1:" + httpPort + "/";
  }

  private static WebDriverWait await(Duration timeout) {
    return HeadlessChromium.await(browser, timeout);
  }

  private static void openList() {
    browser.get(url() + "#/");
    await(WAIT).until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    for (String node : NODES) {
      await(WAIT).until(d -> d.findElements(card(node, SHARED)).size() == 1 && d.findElements(card(node, own(node))).size() == 1);
    }
  }

  private static void awaitStatus(String node, String name, String status) {
    await(WAIT).until(d -> status.equals(d.findElement(card(node, name)).getAttribute("data-status")));
  }

  private static WebElement button(String node, String name, String action) {
    return browser.findElement(card(node, name)).findElement(By.cssSelector("button.action[data-action='" + action + "']"));
  }

  private static WebElement awaitToast(String containing) {
    return await(WAIT).until(d -> d.findElements(By.cssSelector("#toasts .toast")).stream()
        .filter(t -> t.getText().contains(containing)).findFirst().orElse(null));
  }

  private static void screenshot(String name, int width, int height) throws IOException {
    HeadlessChromium.viewport(browser, width, height);
    Files.write(SHOTS.resolve("fleet-" + name + "-" + width + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  // ---- the page ---------------------------------------------------------------------------------

  @Test
  @Order(1)
  @DisplayName("Every host's services show under a heading of their own, the dashboard's first, each host reachable, with a host filter; axe finds nothing")
  void groupedByHost() throws IOException {
    HeadlessChromium.viewport(browser, 1366, 768);
    openList();
    @SuppressWarnings("unchecked")
    List<String> order = (List<String>) browser.executeScript(
        "return [...document.querySelectorAll('#services > .host-heading, #services > .card')]"
            + ".map((e) => e.classList.contains('host-heading') ? 'host:' + e.dataset.node : e.dataset.service);");
    assertThat(order).containsExactly("host:" + DASH, DASH + "/" + SHARED, DASH + "/" + own(DASH),
        "host:" + B, B + "/" + SHARED, B + "/" + own(B), "host:" + C, C + "/" + SHARED, C + "/" + own(C));
    for (String node : NODES) {
      WebElement heading = browser.findElement(heading(node));
      assertThat(heading.getText()).contains(node).contains("reachable");
      assertThat(heading.getAttribute("data-reachable")).isEqualTo("true");
    }
    assertThat(browser.findElement(By.id("summary-text")).getText()).contains("6 running");
    WebElement hosts = browser.findElement(By.id("host-filter"));
    assertThat(hosts.isDisplayed()).isTrue();
    assertThat(new Select(hosts).getOptions()).extracting(WebElement::getText).containsExactly("All hosts", DASH, B, C);
    // Another host's card links to its node-qualified page; the dashboard's own cards to the old route.
    assertThat(browser.findElement(card(B, SHARED)).findElement(By.cssSelector(".card-page-link")).getAttribute("href"))
        .endsWith("#/nodes/" + B + "/services/" + SHARED);
    assertThat(browser.findElement(card(DASH, SHARED)).findElement(By.cssSelector(".card-page-link")).getAttribute("href"))
        .endsWith("#/services/" + SHARED);
    assertThat(HeadlessChromium.axe(browser)).as("axe violations").isEmpty();
    screenshot("grouped", 1366, 768);
    screenshot("grouped", 390, 844);
    HeadlessChromium.viewport(browser, 1366, 768);
  }

  @Test
  @Order(2)
  @DisplayName("The host filter narrows the page to one host's heading and cards, and back to all")
  void hostFilterNarrows() {
    openList();
    new Select(browser.findElement(By.id("host-filter"))).selectByValue(C);
    await(WAIT).until(d -> d.findElements(By.cssSelector("#services > .card:not([hidden])")).size() == 2);
    assertThat(browser.findElements(By.cssSelector("#services > .card:not([hidden])")))
        .extracting(c -> c.getAttribute("data-node")).containsOnly(C);
    assertThat(browser.findElements(By.cssSelector("#services > .host-heading:not([hidden])")))
        .extracting(h -> h.getAttribute("data-node")).containsExactly(C);
    assertThat(browser.findElement(By.id("finder-count")).getText()).isEqualTo("2 of 6 shown");
    new Select(browser.findElement(By.id("host-filter"))).selectByValue("");
    await(WAIT).until(d -> d.findElements(By.cssSelector("#services > .card:not([hidden])")).size() == 6);
    assertThat(browser.findElements(By.cssSelector("#services > .host-heading:not([hidden])"))).hasSize(3);
  }

  @Test
  @Order(3)
  @DisplayName("Stop on game-b's card of a name every host has stops it on game-b only, and the toast names the host")
  void actionRunsOnItsHost() {
    openList();
    button(B, SHARED, "stop").click();
    await(WAIT).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return document.getElementById('confirm-dialog').open;")));
    assertThat(browser.findElement(By.id("confirm-title")).getText()).isEqualTo("Stop Shared on " + B + "?");
    browser.findElement(By.id("confirm-ok")).click();
    awaitToast("Shared on " + B + " stopped");
    awaitStatus(B, SHARED, "inactive");
    assertThat(sandboxes.get(B).activeState(SHARED + ".service")).isEqualTo("inactive");
    assertThat(sandboxes.get(DASH).activeState(SHARED + ".service")).isEqualTo("active");
    assertThat(sandboxes.get(C).activeState(SHARED + ".service")).isEqualTo("active");
    assertThat(browser.findElement(card(DASH, SHARED)).getAttribute("data-status")).isEqualTo("active");

    button(B, SHARED, "start").click();
    awaitToast("Shared on " + B + " started");
    awaitStatus(B, SHARED, "active");
    assertThat(sandboxes.get(B).activeState(SHARED + ".service")).isEqualTo("active");
  }

  @Test
  @Order(4)
  @DisplayName("Another host's service page reads its state, uptime, operations and resources from that host; the list's finder steps aside")
  void otherHostsServicePage() {
    openList();
    browser.findElement(card(B, SHARED)).findElement(By.cssSelector(".card-page-link")).click();
    await(WAIT).until(d -> d.findElement(By.cssSelector("#service-page .page-title")).getText().equals("Shared on " + B));
    assertThat(browser.getCurrentUrl()).endsWith("#/nodes/" + B + "/services/" + SHARED);
    assertThat(browser.findElement(By.cssSelector("#service-page .page-badge")).getText()).isEqualTo("Running");
    // The uptime rows fill from game-b's stats; the stop and start of the previous test are game-b's operations.
    await(WAIT).until(d -> d.findElements(By.cssSelector("#service-page .uptime-table .uptime-value")).stream()
        .noneMatch(td -> td.getText().equals("…")));
    await(WAIT).until(d -> d.findElements(By.cssSelector("#service-page .page-operations .op")).size() >= 2);
    await(WAIT).until(d -> d.findElement(By.cssSelector("#service-page .resource-list")).getText().contains("Tasks"));
    assertThat(browser.findElement(By.id("service-page")).getText()).doesNotContain("not available on this dashboard");
    assertThat(browser.findElement(By.id("finder")).isDisplayed()).as("the list's search and filters step aside with it").isFalse();
    assertThat(HeadlessChromium.axe(browser)).as("axe violations").isEmpty();
    browser.get(url() + "#/");
  }

  @Test
  @Order(5)
  @DisplayName("Another host's operations show among the recent operations under its name, and a start there that dies soon after gives a red toast naming the host")
  void otherHostsFollowUpsNameTheHost() {
    openList();
    SystemdSandbox b = sandboxes.get(B);
    try {
      b.systemctlOk("stop", SHARED + ".service");
      awaitStatus(B, SHARED, "inactive");
      b.writeUnit(SHARED + ".service", DIES_SOON);
      b.daemonReload();
      button(B, SHARED, "start").click();
      awaitToast("Shared on " + B + " started");
      // game-b's operation, pushed from game-b: the page has no other source of another host's operations.
      await(WAIT).until(d -> d.findElements(By.cssSelector("#operations-list .op[data-action='start'] .op-service")).stream()
          .anyMatch(op -> op.getText().equals("Shared on " + B)));
      WebElement failed = await(WAIT).until(d -> d.findElements(By.cssSelector("#toasts .toast[data-tone='bad']")).stream()
          .filter(t -> t.getText().matches("(?s).*Shared on " + B + " failed \\d+ s after it started.*")).findFirst().orElse(null));
      assertThat(failed.getText()).contains("exited with status 1");
    } finally {
      b.writeUnit(SHARED + ".service", FleetFixture.SLEEPER);
      b.daemonReload();
      b.systemctl("reset-failed", SHARED + ".service");
      b.systemctlOk("start", SHARED + ".service");
    }
    awaitStatus(B, SHARED, "active");
  }

  @Test
  @Order(6)
  @DisplayName("After kill -9 of game-b, its heading says unreachable since when, its cards say Unreachable and none of their buttons is enabled; axe finds nothing")
  void lostHostShowsUnreachable() throws Exception {
    HeadlessChromium.viewport(browser, 1366, 768);
    openList();
    fleet.process(B).kill9();
    await(WAIT).until(d -> "false".equals(d.findElement(heading(B)).getAttribute("data-reachable")));
    assertThat(browser.findElement(heading(B)).getText()).contains("unreachable since");
    for (String name : List.of(SHARED, own(B))) {
      awaitStatus(B, name, "unreachable");
      WebElement card = browser.findElement(card(B, name));
      assertThat(card.findElement(By.cssSelector(".badge-text")).getText()).isEqualTo("Unreachable");
      List<WebElement> buttons = card.findElements(By.cssSelector("button.action"));
      assertThat(buttons).isNotEmpty().noneMatch(WebElement::isEnabled);
      // A lost host's cards show no 24 h bar: none claims a state the host may no longer be in (FleetTimelineIT).
      assertThat(card.findElements(By.cssSelector(".card-bar svg"))).as("no bar of a lost host's service").isEmpty();
    }
    // The other hosts go on as before.
    assertThat(browser.findElement(heading(C)).getAttribute("data-reachable")).isEqualTo("true");
    assertThat(button(C, SHARED, "stop").isEnabled()).isTrue();
    assertThat(HeadlessChromium.axe(browser)).as("axe violations").isEmpty();
    for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
      HeadlessChromium.viewport(browser, size[0], size[1]);
      browser.executeScript("arguments[0].scrollIntoView();", browser.findElement(heading(B)));
      screenshot("unreachable", size[0], size[1]);
    }
  }
}
