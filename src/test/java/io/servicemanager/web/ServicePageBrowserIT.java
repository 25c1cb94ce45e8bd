package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page of one service (#/services/NAME) in a real headless Chromium, against a real systemd
 * whose sandbox runs its own journald: reached from a card and by URL, the back button, the state
 * bars and uptime, the live journal with pause, the keyboard, axe-core, and a hidden-state
 * service's page that tells no more than its card.
 */
@DisplayName("The page of a service")
class ServicePageBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withJournal()
      .withUnit("talker.service", "[Service]\n"
          + "ExecStart=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done'\n")
      .withUnit("crashy.service", "[Service]\nExecStart=/bin/sh -c "
          + "'echo \"<4>config is old\"; echo \"<3>cannot open the world file\"; exit 1'\n")
      .withUnit("vault.service", "[Service]\nExecStart=/bin/sh -c 'echo vault-secret-line; sleep 400'\n");

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    SystemdSandbox sandbox = systemd.sandbox();
    sandbox.systemctlOk("start", "talker.service", "vault.service");
    vertx = Vertx.vertx();
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), new ServiceCatalogue(List.of(
            new ServiceDefinition("talker", "talker.service", "Talker", "Says tick", Permission.ALL, true, true, false),
            new ServiceDefinition("crashy", "crashy.service", "Crashy Worker", "Exits with status 1",
                Permission.ALL, true, true, false),
            new ServiceDefinition("vault", "vault.service", "Vault", "State not shared", Permission.START, false, true,
                false))),
        new JournalCommand(sandbox.journalCommandPrefix())).await();
    // A start through the manager (an operation of this service) and then a failure it sees, so
    // that its history, timeline, statistics and view carry them.
    var started = TestConfigs.client(vertx).post(app.httpPort(), "127.0.0.1", "/api/services/crashy/start").send()
        .await();
    // The manager sees it die right after the start and reports the start failed.
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(502);
    assertThat(started.bodyAsJsonObject().getString("result")).isEqualTo("failed");
    sandbox.awaitActiveState("crashy.service", "failed", WAIT);
    awaitInJournal("tick-5");

    browser = HeadlessChromium.start();
    base = "http://127.0.0.1:" + app.httpPort() + "/";
    HeadlessChromium.logIn(browser, base, TestConfigs.OPERATOR, TestConfigs.PASSWORD);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Waits (bounded) until a line equal to {@code text} is in the sandbox's journal. */
  static void awaitInJournal(String text) throws Exception {
    systemd.awaitInJournal(line -> line.equals(text), text, WAIT);
  }

  static WebDriverWait waiting() {
    return new WebDriverWait(browser, WAIT);
  }

  static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  static Object js(String script, Object... args) {
    return browser.executeScript(script, args);
  }

  /** Opens a page by URL and waits until its insight (bars, uptime) has been drawn. */
  static void openByUrl(String name) {
    browser.get(base + "#/services/" + name);
    awaitPageOf(name);
  }

  /** Opens the list, then a page through its card's link, so that Back leads to the list. */
  static void openFromList(String name) {
    browser.get(base);
    waiting().until(d -> !d.findElements(By.cssSelector(".card[data-service='" + name + "'] .card-page-link")).isEmpty());
    browser.findElement(By.cssSelector(".card[data-service='" + name + "'] .card-page-link")).click();
    awaitPageOf(name);
  }

  static void awaitPageOf(String name) {
    waiting().until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    waiting().until(d -> d.findElement(By.id("service-page")).isDisplayed()
        && !d.findElements(By.cssSelector("#service-page h2")).isEmpty()
        && !"Loading…".equals(d.findElement(By.cssSelector("#service-page h2")).getText()));
  }

  static void awaitInsight() {
    waiting().until(d -> d.findElements(By.cssSelector("#service-page .state-bar svg")).size() == 2
        && d.findElements(By.cssSelector("#service-page .uptime-table tbody tr")).size() == 3);
  }

  static List<String> journalLines() {
    @SuppressWarnings("unchecked")
    List<String> lines = (List<String>) js(
        "return [...document.querySelectorAll('#service-page .journal-line .journal-message')].map(n => n.textContent);");
    return lines;
  }

  static int lowestTick(List<String> lines) {
    int lowest = Integer.MAX_VALUE;
    Pattern tick = Pattern.compile("tick-(\\d+)");
    for (String line : lines) {
      Matcher m = tick.matcher(line);
      if (m.matches()) {
        lowest = Math.min(lowest, Integer.parseInt(m.group(1)));
      }
    }
    return lowest;
  }

  static int highestTick(List<String> lines) {
    int highest = 0;
    Pattern tick = Pattern.compile("tick-(\\d+)");
    for (String line : lines) {
      Matcher m = tick.matcher(line);
      if (m.matches()) {
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      }
    }
    return highest;
  }

  @Test
  @DisplayName("A card's Details link opens the service's page at #/services/NAME; the back button returns to the list; the same page opens by URL and names the last operation as the card does")
  void linkUrlAndBack() {
    browser.get(base);
    waiting().until(d -> !d.findElements(By.cssSelector(".card[data-service='talker'] .card-page-link")).isEmpty());
    WebElement link = browser.findElement(By.cssSelector(".card[data-service='talker'] .card-page-link"));
    assertThat(link.getAttribute("href")).endsWith("#/services/talker");
    link.click();
    awaitPageOf("talker");
    assertThat(browser.getCurrentUrl()).endsWith("#/services/talker");
    assertThat(browser.findElement(By.cssSelector("#service-page h2")).getText()).isEqualTo("Talker");
    assertThat(browser.findElement(By.cssSelector("#service-page .page-state")).getText()).startsWith("Running");
    assertThat(browser.findElement(By.id("services")).isDisplayed()).as("the list steps aside").isFalse();

    browser.navigate().back();
    waiting().until(d -> d.findElement(By.id("services")).isDisplayed());
    assertThat(browser.findElement(By.id("service-page")).isDisplayed()).isFalse();
    assertThat(browser.getCurrentUrl()).doesNotContain("#/services/");

    openByUrl("crashy");
    assertThat(browser.findElement(By.cssSelector("#service-page h2")).getText()).isEqualTo("Crashy Worker");
    assertThat(browser.findElement(By.cssSelector("#service-page .page-state")).getText())
        .startsWith("Crashed").contains("exited with status 1");
    assertThat(browser.findElement(By.cssSelector("#service-page .page-last-op")).getText())
        .as("in the card's words: a failed start is no 'Started'").matches("Start by tester failed · .+ ago|Start by tester failed · just now");
  }

  @Test
  @DisplayName("The page shows a 24 h and a 7 d state bar, uptime for 24 h, 7 d and 30 d with the observed share, and failures grouped by reason; a tap on the bar names the stretch in words")
  void barsUptimeFailures() throws Exception {
    // A desktop bar: a pixel near its right end is minutes, where the failure is.
    HeadlessChromium.viewport(browser, 1366, 768);
    openByUrl("crashy");
    awaitInsight();
    assertThat(browser.findElements(By.cssSelector("#service-page .state-bar .seg-failed"))).isNotEmpty();
    String uptime = browser.findElement(By.cssSelector("#service-page .uptime-table")).getText();
    assertThat(uptime).contains("24 hours", "7 days", "30 days", "%");
    waiting().until(d -> d.findElement(By.cssSelector("#service-page .failure-list")).getText()
        .contains("exited with status 1"));
    assertThat(browser.findElement(By.cssSelector("#service-page .failure-list")).getText()).contains("1×");

    WebElement bar = browser.findElement(By.cssSelector("#service-page .state-bar svg"));
    // The right end is now: the failed stretch (seconds old, drawn at its least width).
    new Actions(browser).moveToElement(bar, bar.getSize().getWidth() / 2 - 1, 0).click().perform();
    assertThat(browser.findElement(By.cssSelector("#service-page .state-bar-detail")).getText())
        .contains("Failed", "now");

    waiting().until(d -> d.findElement(By.cssSelector("#service-page .page-operations")).getText().contains("start"));
    assertThat(browser.findElement(By.cssSelector("#service-page .page-operations")).getText())
        .contains("tester", "failed", "exited with status 1");
    WebElement failures = browser.findElement(By.cssSelector("#service-page .failure-list"));
    js("arguments[0].scrollIntoView({block: 'center'});", failures);
    screenshot("service-page-crashy-sections");

    // Priorities in colour and in words: err and warning lines of its journal.
    waiting().until(d -> !d.findElements(By.cssSelector("#service-page .journal-line[data-priority='3']")).isEmpty());
    WebElement err = browser.findElement(By.cssSelector("#service-page .journal-line[data-priority='3']"));
    WebElement info = browser.findElement(By.cssSelector("#service-page .journal-line[data-priority='4']"));
    assertThat(err.getText()).contains("err", "cannot open the world file");
    assertThat(info.getText()).contains("warning", "config is old");
    assertThat(err.getCssValue("color")).isNotEqualTo(info.getCssValue("color"));

    openByUrl("talker");
    awaitInsight();
    assertThat(browser.findElements(By.cssSelector("#service-page .state-bar .seg-running"))).isNotEmpty();
    waiting().until(d -> d.findElement(By.cssSelector("#service-page .resource-list")).getText().contains("Memory"));
    assertThat(browser.findElement(By.cssSelector("#service-page .resource-list")).getText()).contains("Tasks", "CPU time");
  }

  @Test
  @DisplayName("Live journal lines appear while following; Pause stops them (lines written meanwhile stay away); Resume brings them; older lines come when scrolled to the top; Copy copies the lines; leaving the page stops the resource polling")
  void journalFollowAndPause() throws Exception {
    awaitInJournal("tick-150"); // more than the 100 lines the page starts with
    openFromList("talker");
    waiting().until(d -> highestTick(journalLines()) > 0);
    int first = highestTick(journalLines());
    waiting().until(d -> highestTick(journalLines()) >= first + 3);
    assertThat(browser.findElement(By.cssSelector("#service-page .journal-status")).getText()).contains("Following live");
    assertThat(browser.findElement(By.cssSelector("#service-page .journal-status")).getAttribute("aria-live"))
        .isEqualTo("polite");
    assertThat(browser.findElements(By.cssSelector("#service-page .journal-line[data-priority='6'] .journal-priority")))
        .isNotEmpty();

    browser.findElement(By.cssSelector("#service-page .journal-pause")).click();
    waiting().until(d -> d.findElement(By.cssSelector("#service-page .journal-status")).getText().startsWith("Paused"));
    List<String> paused = journalLines();
    int shown = highestTick(paused);
    // The unit goes on ticking: once tick shown+10 is in the journal, a following page would show it.
    awaitInJournal("tick-" + (shown + 10));
    assertThat(journalLines()).as("no line added while paused").isEqualTo(paused);
    assertThat(browser.findElement(By.cssSelector("#service-page .journal-pause")).getText()).isEqualTo("Resume");

    browser.findElement(By.cssSelector("#service-page .journal-pause")).click();
    waiting().until(d -> highestTick(journalLines()) >= shown + 10);
    List<String> resumed = journalLines();
    assertThat(resumed).doesNotHaveDuplicates();

    int lowest = lowestTick(resumed);
    js("document.querySelector('#service-page .journal-lines').scrollTop = 0;");
    waiting().until(d -> lowestTick(journalLines()) < lowest);
    assertThat(journalLines()).doesNotHaveDuplicates();

    browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base.substring(0, base.length() - 1),
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    browser.findElement(By.cssSelector("#service-page .journal-copy")).click();
    waiting().until(d -> d.findElement(By.cssSelector("#service-page .journal-status")).getText().contains("copied"));
    browser.manage().timeouts().scriptTimeout(WAIT);
    String copied = (String) browser.executeAsyncScript(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, (e) => done('refused: ' + e));");
    assertThat(copied).contains("info: tick-" + lowestTick(journalLines()));

    // Leaving the page: no resource figures are asked for any more.
    waiting().until(d -> !d.findElements(By.cssSelector("#service-page .resource-list dt")).isEmpty());
    browser.navigate().back();
    waiting().until(d -> d.findElement(By.id("services")).isDisplayed());
    long before = resourceRequests();
    int now = highestTick(resumed);
    awaitInJournal("tick-" + (now + 90)); // about 9 s: a poll every 5 s would have asked at least once
    assertThat(resourceRequests()).as("resource requests after leaving").isEqualTo(before);
  }

  @Test
  @DisplayName("Resource figures are asked for at most every 5 s while the page is open, not while the tab is hidden, and again once it is visible")
  void resourcesOnlyWhileVisible() throws Exception {
    openFromList("talker");
    waiting().until(d -> resourceRequests() >= 1);
    long first = resourceRequests();
    int tick = highestTick(journalLinesWhenAny());
    awaitInJournal("tick-" + (tick + 60)); // about 6 s: at least one more poll
    assertThat(resourceRequests()).as("polls in about 6 s").isGreaterThan(first);
    @SuppressWarnings("unchecked")
    List<Number> gaps = (List<Number>) js("const t = performance.getEntriesByType('resource')"
        + ".filter(e => e.name.endsWith('/resources')).map(e => e.startTime).slice(arguments[0] - 1);"
        + "return t.slice(1).map((v, i) => v - t[i]);", first);
    assertThat(gaps).as("ms between resource requests").allSatisfy(g -> assertThat(g.doubleValue()).isGreaterThan(4900));

    // The tab goes to the background, as a phone's does when its screen turns off.
    js("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
        + "document.dispatchEvent(new Event('visibilitychange'));");
    long hidden = resourceRequests();
    awaitInJournal("tick-" + (tick + 160)); // about 10 s more
    assertThat(resourceRequests()).as("requests while hidden").isLessThanOrEqualTo(hidden + 1);
    long settled = resourceRequests();
    awaitInJournal("tick-" + (tick + 240));
    assertThat(resourceRequests()).as("requests while hidden, after any in flight").isEqualTo(settled);

    js("delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange'));");
    waiting().until(d -> resourceRequests() > settled);
  }

  static List<String> journalLinesWhenAny() {
    waiting().until(d -> highestTick(journalLines()) > 0);
    return journalLines();
  }

  static long resourceRequests() {
    return ((Number) js("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/resources')).length;"))
        .longValue();
  }

  @Test
  @DisplayName("Tab reaches every control of the page in order, and axe-core finds no violation on it at 390×844 and 1366×768")
  void keyboardAndAxe() throws Exception {
    for (int[] size : new int[][] {{390, 844}, {1366, 768}}) {
      String at = size[0] + "x" + size[1];
      HeadlessChromium.viewport(browser, size[0], size[1]);
      openByUrl("talker");
      awaitInsight();
      waiting().until(d -> !d.findElements(By.cssSelector("#service-page .journal-line")).isEmpty());
      waiting().until(d -> !d.findElements(By.cssSelector("#service-page .resource-list dt")).isEmpty());
      assertThat(HeadlessChromium.axe(browser)).as("axe violations, talker page, %s", at).isEmpty();
      screenshot("service-page-talker-" + at);
      js("document.querySelector('#service-page .journal').scrollIntoView();");
      screenshot("service-page-journal-" + at);
      Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(((Number) overflow).intValue()).as("horizontal overflow at %s", at).isLessThanOrEqualTo(0);
      // The uptime table fits its section, and each column heading stays on one line (no word cut).
      Object tableOverflow = js("""
          const table = document.querySelector('#service-page .uptime-table');
          const box = table.parentElement;
          const inner = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
          return table.getBoundingClientRect().right - inner;""");
      assertThat(((Number) tableOverflow).doubleValue()).as("uptime table past its section at %s", at).isLessThanOrEqualTo(0.5);
      @SuppressWarnings("unchecked")
      List<Number> headingLines = (List<Number>) js("""
          return [...document.querySelectorAll('#service-page .uptime-table thead th')].map((th) => {
            const range = document.createRange();
            range.selectNodeContents((th.querySelector('span') ?? th).firstChild); // the text itself
            return [...range.getClientRects()].filter((r) => r.width > 1).length; // not the screen-reader-only text
          });""");
      assertThat(headingLines).as("lines of each uptime heading at %s", at).hasSize(5).allMatch(n -> n.intValue() <= 1)
          .filteredOn(n -> n.intValue() == 1).hasSizeGreaterThanOrEqualTo(4);

      openByUrl("crashy");
      awaitInsight();
      assertThat(HeadlessChromium.axe(browser)).as("axe violations, crashy page, %s", at).isEmpty();
      screenshot("service-page-crashy-" + at);
    }

    openByUrl("talker");
    awaitInsight();
    waiting().until(d -> !d.findElements(By.cssSelector("#service-page .journal-line")).isEmpty());
    @SuppressWarnings("unchecked")
    List<String> controls = (List<String>) js("""
        const all = [...document.querySelectorAll('#service-page a[href], #service-page button:not(:disabled),'
            + ' #service-page summary, #service-page [tabindex="0"]')];
        all.forEach((n, i) => { n.dataset.tabId = String(i); });
        return all.map((n, i) => String(i));""");
    assertThat(controls).as("the page's controls").hasSizeGreaterThanOrEqualTo(7);
    // Tab starts from the header's last control, just before the page.
    js("document.getElementById('logout').focus();");
    Set<String> reached = new LinkedHashSet<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 80 && !reached.containsAll(controls); i++) {
      new Actions(browser).sendKeys(Keys.TAB).perform();
      Object id = js("return document.activeElement?.dataset?.tabId ?? null;");
      if (id != null) {
        reached.add((String) id);
        order.add((String) id);
      }
    }
    assertThat(reached).as("controls reached with Tab").containsAll(controls);
    assertThat(order.subList(0, controls.size())).as("in document order").containsExactlyElementsOf(controls);
  }

  @Test
  @DisplayName("A hidden-state service's page shows only what its card shows: no state, bars, uptime, resources or journal, and asks the server for none")
  void hiddenService() throws Exception {
    browser.get(base);
    waiting().until(d -> !d.findElements(By.cssSelector(".card[data-service='vault'] .card-page-link")).isEmpty());
    String card = browser.findElement(By.cssSelector(".card[data-service='vault']")).getText();
    browser.findElement(By.cssSelector(".card[data-service='vault'] .card-page-link")).click();
    awaitPageOf("vault");
    String page = browser.findElement(By.id("service-page")).getText();
    assertThat(page).contains("Vault", "Status hidden", "State not shared", "vault.service");
    assertThat(page).doesNotContain("Running", "Stopped", "PID", "Journal", "Uptime", "Resources", "vault-secret-line");
    assertThat(browser.findElements(By.cssSelector("#service-page .state-bar, #service-page .journal,"
        + " #service-page .uptime-table, #service-page .resource-list"))).isEmpty();
    // Every line of the page but its back link is on the card too.
    for (String line : page.split("\n")) {
      if (!line.startsWith("←")) {
        assertThat(card).as("the card shows '%s' too", line).contains(line.replace("Unit ", ""));
      }
    }
    Object asked = js("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => n.includes('/api/services/vault/') || n.includes('service=vault')).length;");
    assertThat(((Number) asked).intValue()).as("requests for the hidden service's figures").isZero();
    assertThat(HeadlessChromium.axe(browser)).as("axe violations, hidden page").isEmpty();
    screenshot("service-page-hidden");
  }
}
