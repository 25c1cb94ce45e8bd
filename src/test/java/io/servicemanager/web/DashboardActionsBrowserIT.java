package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's action buttons in a real headless Chromium, against a real systemd: the buttons
 * follow permissions and state, Stop asks first, results come back as toasts with systemd's
 * reason, and every finished action shows in the recent-operations panel.
 */
class DashboardActionsBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service")
      .withUnit("web.service", "[Service]\nExecStart=/bin/sleep 400\n")
      // Never reports ready: its start job stays pending until TimeoutStartSec.
      .withUnit("slow.service", "[Service]\nType=notify\nExecStart=/bin/sleep 400\nTimeoutStartSec=60\n");

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {

    vertx = Vertx.vertx();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("game", "sleeper.service", "PZServer Game Server",
            "Project Zomboid dedicated game server", Permission.RESTART, true),
        new ServiceDefinition("web", "web.service", "Web Frontend", "Serves the public site", Permission.ALL, true),
        new ServiceDefinition("exits-one", "exits-one.service", "Crashy Worker", "Exits with status 1",
            Permission.ALL, true),
        new ServiceDefinition("slow", "slow.service", "Slow Starter", "Takes its time to start", Permission.ALL, true),
        new ServiceDefinition("vault", "sleeper.service", "Vault", "Status hidden", Permission.START, false)));
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), services).await();

    browser = HeadlessChromium.start();
    HeadlessChromium.spyOnWebSockets(browser);
    HeadlessChromium.logIn(browser, url(), TestConfigs.OPERATOR, TestConfigs.PASSWORD);
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

  /** (f) After every test: no console errors and no CSP violations. */
  @AfterEach
  void noConsoleProblems() {
    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser);
    assertThat(problems).as("console errors and CSP violations").isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static String url() {
    return "http://127.0.0.1:" + app.httpPort() + "/";
  }

  private static WebDriverWait await() {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.pollingEvery(Duration.ofMillis(50));
    return wait;
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** Loads the dashboard at this width and waits until it is live with the service's card at this status. */
  private static void open(int width, String service, String status) {
    browser.manage().window().setSize(new Dimension(width, 900));
    browser.get(url());
    awaitLive();
    awaitCardStatus(service, status);
  }

  private static void openAnyStatus(int width, String service) {
    browser.manage().window().setSize(new Dimension(width, 900));
    browser.get(url());
    awaitLive();
    await().until(d -> !d.findElements(By.cssSelector(".card[data-service='" + service + "']")).isEmpty());
  }

  private static void awaitLive() {
    await().until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
  }

  private static WebElement card(String service) {
    return browser.findElement(By.cssSelector(".card[data-service='" + service + "']"));
  }

  private static void awaitCardStatus(String service, String status) {
    await().until(d -> d.findElements(
        By.cssSelector(".card[data-service='" + service + "'][data-status='" + status + "']")).size() == 1);
  }

  private static List<WebElement> buttons(String service) {
    return card(service).findElements(By.cssSelector(".card-actions button.action"));
  }

  private static List<String> buttonActions(String service) {
    return buttons(service).stream().map(b -> b.getAttribute("data-action")).toList();
  }

  private static WebElement button(String service, String action) {
    return card(service).findElement(By.cssSelector(".card-actions button.action[data-action='" + action + "']"));
  }

  private static void awaitButtonsEnabled(String service) {
    await().until(d -> !buttons(service).isEmpty() && buttons(service).stream().allMatch(WebElement::isEnabled)
        && card(service).getAttribute("data-busy") == null);
  }

  /**
   * Records, from inside the page, what the card goes through from now on: whether it was ever
   * marked busy, and whether the pressed button was ever disabled with its spinner showing while
   * all the card's other buttons were disabled too. (A job may be too quick to catch by polling.)
   */
  private static void watchBusy(String service, String action) {
    js("""
        const card = document.querySelector(`.card[data-service="${arguments[0]}"]`);
        const seen = window.__busy = { card: false, button: false, others: true, aria: false };
        const check = () => {
          if (card.dataset.busy !== 'true') return;
          seen.card = true;
          seen.aria = seen.aria || card.getAttribute('aria-busy') === 'true';
          for (const b of card.querySelectorAll('button.action')) {
            if (b.dataset.action === arguments[1]) {
              const spinner = b.querySelector('.action-spinner');
              if (b.disabled && spinner && getComputedStyle(spinner).display !== 'none') seen.button = true;
            } else if (!b.disabled) {
              seen.others = false;
            }
          }
        };
        new MutationObserver(check).observe(card, { attributes: true, subtree: true, childList: true });
        """, service, action);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> busySeen() {
    return (Map<String, Object>) js("return window.__busy;");
  }

  private static WebElement awaitToast(String tone, String containing) {
    By selector = By.cssSelector("#toasts .toast[data-tone='" + tone + "']");
    return await().until(d -> d.findElements(selector).stream()
        .filter(t -> t.getText().contains(containing)).findFirst().orElse(null));
  }

  private static void dismissToasts() {
    js("document.querySelectorAll('#toasts .toast').forEach((t) => t.remove());");
  }

  private static WebElement awaitOperation(String service, String result) {
    By selector = By.cssSelector("#operations .op[data-service='" + service + "'][data-result='" + result + "']");
    return await().until(d -> d.findElements(selector).stream().findFirst().orElse(null));
  }

  private static boolean dialogOpen() {
    return Boolean.TRUE.equals(js("return document.getElementById('confirm-dialog').open;"));
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve("actions-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static int horizontalOverflow() {
    return ((Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
        .intValue();
  }

  private static String mainPid(String unit) {
    return systemd.sandbox().property(unit, "MainPID");
  }

  /**
   * From the next page load on, the page's fetch of api/history answers 25 older operations,
   * whatever the real file holds. Returns the script's id for Page.removeScriptToEvaluateOnNewDocument.
   */
  private static Object fakeHistory() {
    String script = """
        (() => {
          const entries = Array.from({ length: 25 }, (_, i) => ({
            at: `2026-01-01T10:00:${String(59 - i).padStart(2, '0')}.000Z`, service: 'web', unit: 'web.service',
            action: 'restart', user: `user${i}`, result: i % 2 ? 'failed' : 'done', message: `restart #${i}`,
          }));
          const native = window.fetch;
          window.fetch = (url, ...rest) => String(url).includes('api/history')
            ? Promise.resolve(new Response(JSON.stringify({ entries }), { status: 200 }))
            : native(url, ...rest);
        })();
        """;
    return browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script))
        .get("identifier");
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  @DisplayName("(a) A restart-only service shows exactly one large button, Restart; an all-level one follows its state; a hidden one offers all it allows")
  void restartOnlyCard() {
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    systemd.sandbox().systemctlOk("start", "web.service");
    open(1280, "game", "active");
    awaitCardStatus("web", "active");

    List<WebElement> game = buttons("game");
    assertThat(game).hasSize(1);
    assertThat(game.get(0).getText()).isEqualTo("Restart");
    assertThat(game.get(0).getAttribute("data-action")).isEqualTo("restart");
    assertThat(game.get(0).isEnabled()).isTrue();
    assertThat(game.get(0).getSize().getHeight()).as("touch target height").isGreaterThanOrEqualTo(44);
    assertThat(game.get(0).getSize().getWidth()).as("touch target width").isGreaterThanOrEqualTo(44);

    // all allows start, stop and restart; "start" makes no sense while active.
    assertThat(buttonActions("web")).containsExactly("stop", "restart");
    // A hidden status rules nothing out: every allowed action is offered (its unit is active, too).
    awaitCardStatus("vault", "hidden");
    assertThat(buttonActions("vault")).containsExactly("start", "restart");
  }

  @Test
  @DisplayName("(b) Restart: busy card and spinner while the job runs, a success toast, a new main PID, an operations row that a reload keeps")
  void restart() throws Exception {
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    String pidBefore = mainPid("sleeper.service");
    assertThat(pidBefore).isNotEqualTo("0");
    open(1280, "game", "active");
    await().until(d -> card("game").getText().contains("PID " + pidBefore));
    awaitButtonsEnabled("game");

    watchBusy("game", "restart");
    button("game", "restart").click();

    WebElement toast = awaitToast("ok", "PZServer Game Server");
    assertThat(toast.getText()).contains("restart");
    Map<String, Object> seen = busySeen();
    assertThat(seen.get("card")).as("card[data-busy=true] during the job").isEqualTo(true);
    assertThat(seen.get("aria")).as("card aria-busy during the job").isEqualTo(true);
    assertThat(seen.get("button")).as("pressed button disabled with a spinner").isEqualTo(true);
    assertThat(seen.get("others")).as("no other button of the card enabled meanwhile").isEqualTo(true);

    awaitCardStatus("game", "active");
    String pidAfter = mainPid("sleeper.service");
    assertThat(pidAfter).as("a new main process").isNotEqualTo(pidBefore).isNotEqualTo("0");
    await().until(d -> card("game").getText().contains("PID " + pidAfter));
    awaitButtonsEnabled("game");
    assertThat(buttonActions("game")).containsExactly("restart");

    WebElement row = awaitOperation("game", "done");
    assertThat(row.getText()).contains("PZServer Game Server").contains("restart").contains("done").contains(TestConfigs.OPERATOR);
    assertThat(row.getAttribute("title")).contains("restart done");
    screenshot("restarted-1280");

    // After a reload the panel starts from GET /api/history: the restart is still listed.
    String at = row.findElement(By.tagName("time")).getAttribute("datetime");
    browser.navigate().refresh();
    awaitLive();
    await().until(d -> d.findElements(By.cssSelector(
        "#operations .op[data-service='game'][data-result='done'] time[datetime='" + at + "']")).size() == 1);
  }

  @Test
  @DisplayName("(c) Stop asks first in a modal dialog: Cancel (and Escape) leave it running, OK stops it; then Start shows and Stop does not")
  void stopWithConfirmation() throws Exception {
    systemd.sandbox().systemctlOk("start", "web.service");
    open(1280, "web", "active");
    awaitButtonsEnabled("web");
    String pid = mainPid("web.service");

    button("web", "stop").click();
    await().until(d -> dialogOpen());
    WebElement dialog = browser.findElement(By.id("confirm-dialog"));
    assertThat(dialog.getText()).contains("Web Frontend").contains("web.service");
    assertThat(browser.switchTo().activeElement().getAttribute("id")).as("the safe choice has focus")
        .isEqualTo("confirm-cancel");
    assertThat(js("return document.querySelector('#confirm-dialog:modal') !== null;")).as("modal").isEqualTo(true);
    screenshot("confirm-1280");

    browser.findElement(By.id("confirm-cancel")).click();
    await().until(d -> !dialogOpen());
    assertThat(systemd.sandbox().activeState("web.service")).isEqualTo("active");
    assertThat(mainPid("web.service")).isEqualTo(pid);
    assertThat(card("web").getAttribute("data-status")).isEqualTo("active");
    assertThat(card("web").getAttribute("data-busy")).isNull();
    assertThat(browser.switchTo().activeElement().getAttribute("data-action")).as("focus back on Stop")
        .isEqualTo("stop");

    // Escape cancels too.
    button("web", "stop").click();
    await().until(d -> dialogOpen());
    browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    await().until(d -> !dialogOpen());
    assertThat(systemd.sandbox().activeState("web.service")).isEqualTo("active");

    button("web", "stop").click();
    await().until(d -> dialogOpen());
    browser.findElement(By.id("confirm-ok")).click();
    await().until(d -> !dialogOpen());

    awaitToast("ok", "Web Frontend");
    assertThat(systemd.sandbox().activeState("web.service")).isEqualTo("inactive");
    awaitCardStatus("web", "inactive");
    awaitButtonsEnabled("web");
    assertThat(buttonActions("web")).contains("start").doesNotContain("stop").containsExactly("start", "restart");
    awaitOperation("web", "done");
    screenshot("stopped-1280");
  }

  @Test
  @DisplayName("(d) Start on a unit that exits 1 shows a failure toast with systemd's reason, and a failed operations row")
  void startFailure() throws Exception {
    openAnyStatus(1280, "exits-one"); // inactive on a fresh sandbox, failed after an earlier start
    awaitButtonsEnabled("exits-one");
    assertThat(buttonActions("exits-one")).containsExactly("start", "restart");

    button("exits-one", "start").click();
    WebElement toast = awaitToast("bad", "exited with status 1");
    assertThat(toast.getText()).contains("Crashy Worker").contains("failed");
    assertThat(toast.getAttribute("role")).isEqualTo("alert");
    awaitCardStatus("exits-one", "failed");
    awaitButtonsEnabled("exits-one");
    WebElement row = awaitOperation("exits-one", "failed");
    assertThat(row.getAttribute("title")).contains("exited with status 1");
    assertThat(row.getText()).contains("Crashy Worker").contains("exited with status 1");
    screenshot("failed-1280");
  }

  @Test
  @DisplayName("While not live every button is disabled; a socket that drops during a job gives an 'unknown result' toast, then the buttons come back")
  void socketDropsWhileAJobRuns() throws Exception {
    systemd.sandbox().systemctl("stop", "slow.service");
    open(1280, "slow", "inactive");
    awaitButtonsEnabled("slow");

    button("slow", "start").click();
    await().until(d -> "true".equals(card("slow").getAttribute("data-busy")));
    assertThat(button("slow", "start").isEnabled()).isFalse();
    assertThat(button("slow", "start").getText()).isEqualTo("Starting…");
    assertThat(button("slow", "restart").isEnabled()).isFalse();
    screenshot("busy-1280");

    // Cut the socket; report, as soon as the page knows it is no longer live, which buttons it left enabled.
    @SuppressWarnings("unchecked")
    List<String> enabledWhileDown = (List<String>) browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        window.__sockets.forEach((ws) => ws.close());
        const check = () => {
          if (document.getElementById('connection').dataset.state === 'live') return requestAnimationFrame(check);
          done([...document.querySelectorAll('button.action:not(:disabled)')].map((b) =>
              `${b.closest('.card').dataset.service}/${b.dataset.action}`));
        };
        check();
        """);
    assertThat(enabledWhileDown).as("buttons enabled while not live").isEmpty();
    WebElement toast = awaitToast("bad", "result unknown");
    assertThat(toast.getText()).contains("Slow Starter");
    assertThat(card("slow").getAttribute("data-busy")).isNull();
    // Reconnects on its own after a short back-off; until then nothing can be pressed.
    awaitLive();
    awaitButtonsEnabled("slow");
    systemd.sandbox().systemctl("stop", "slow.service");
    awaitCardStatus("slow", "inactive");
  }

  @Test
  @DisplayName("The panel keeps the last 20, newest first, however many the history has; a push goes on top")
  void historyPrefill() {
    Object id = fakeHistory();
    try {
      systemd.sandbox().systemctlOk("start", "sleeper.service");
      open(1280, "game", "active");
      By rows = By.cssSelector("#operations .op");
      await().until(d -> d.findElements(rows).size() == 20);
      assertThat(browser.findElement(By.id("operations-empty")).isDisplayed()).isFalse();
      List<WebElement> list = browser.findElements(rows);
      assertThat(list.get(0).getAttribute("title")).isEqualTo("restart #0");
      assertThat(list.get(0).getText()).contains("Web Frontend").contains("user0");
      assertThat(list.get(19).getAttribute("title")).isEqualTo("restart #19");
      assertThat(list.get(1).getAttribute("data-result")).isEqualTo("failed");

      awaitButtonsEnabled("game");
      button("game", "restart").click();
      awaitToast("ok", "PZServer Game Server");
      await().until(d -> "game".equals(d.findElements(rows).get(0).getAttribute("data-service")));
      assertThat(browser.findElements(rows)).hasSize(20);
      assertThat(browser.findElements(rows).get(1).getAttribute("title")).isEqualTo("restart #0");
    } finally {
      browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
    }
  }

  @Test
  @DisplayName("(e) Screenshots at 1280 and 375 px; at 375 and 360 px nothing scrolls sideways and buttons stay large")
  void screenshots() throws Exception {
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    systemd.sandbox().systemctlOk("start", "web.service");

    // Desktop: operations from earlier tests may be there; make sure there is at least one failure.
    open(1280, "game", "active");
    awaitButtonsEnabled("exits-one");
    button("exits-one", "start").click();
    awaitToast("bad", "exited with status 1");
    awaitOperation("exits-one", "failed");
    screenshot("desktop-1280");
    dismissToasts();
    js("document.getElementById('operations').scrollIntoView();");
    screenshot("desktop-1280-operations");

    for (int width : new int[] {375, 360}) {
      open(width, "game", "active");
      awaitButtonsEnabled("web");
      assertThat(horizontalOverflow()).as("no horizontal scrolling at %d px", width).isLessThanOrEqualTo(0);
      for (WebElement b : browser.findElements(By.cssSelector("button.action"))) {
        assertThat(b.getSize().getHeight()).as("button height at %d px", width).isGreaterThanOrEqualTo(44);
        assertThat(b.getSize().getWidth()).as("button width at %d px", width).isGreaterThanOrEqualTo(44);
      }
    }

    // 375: restart the game, look at the toast; then the confirmation.
    open(375, "game", "active");
    awaitButtonsEnabled("game");
    button("game", "restart").click();
    awaitToast("ok", "PZServer Game Server");
    screenshot("phone-375-toast");
    awaitButtonsEnabled("game");
    dismissToasts();
    button("exits-one", "start").click();
    awaitToast("bad", "exited with status 1");
    awaitOperation("exits-one", "failed");
    dismissToasts();

    js("document.getElementById('operations').scrollIntoView();");
    screenshot("phone-375-operations");
    js("window.scrollTo(0, 0);");

    button("web", "stop").click();
    await().until(d -> dialogOpen());
    assertThat(horizontalOverflow()).isLessThanOrEqualTo(0);
    WebElement ok = browser.findElement(By.id("confirm-ok"));
    WebElement cancel = browser.findElement(By.id("confirm-cancel"));
    assertThat(ok.getSize().getHeight()).isGreaterThanOrEqualTo(44);
    assertThat(cancel.getSize().getHeight()).isGreaterThanOrEqualTo(44);
    screenshot("phone-375-confirm");
    cancel.click();
    await().until(d -> !dialogOpen());
    screenshot("phone-375");

    // The dark colour scheme, at both widths.
    browser.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      button("web", "stop").click();
      await().until(d -> dialogOpen());
      screenshot("phone-375-dark-confirm");
      browser.findElement(By.id("confirm-cancel")).click();
      await().until(d -> !dialogOpen());
      open(1280, "game", "active");
      awaitButtonsEnabled("exits-one");
      button("exits-one", "start").click();
      awaitToast("bad", "exited with status 1");
      screenshot("desktop-1280-dark");
    } finally {
      browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
  }

  @Test
  @DisplayName("At 390 px a running job's label stays whole: 'Restarting…' never breaks inside the word, nor leaves its button")
  void busyLabelStaysWhole() {
    systemd.sandbox().systemctlOk("start", "web.service");
    browser.get(url());
    HeadlessChromium.viewport(browser, 390, 844);
    awaitLive();
    awaitCardStatus("web", "active");
    awaitButtonsEnabled("web");
    assertThat(buttonActions("web")).containsExactly("stop", "restart");

    // Measured from inside the page the moment the label changes: the job may be over before a poll.
    js("""
        const card = document.querySelector('.card[data-service="web"]');
        const seen = window.__label = { running: false, text: '', lines: 0, inside: true, overflow: 0 };
        new MutationObserver(() => {
          const button = card.querySelector('button.action[data-action="restart"]');
          if (button?.dataset.running !== 'true') return;
          const label = button.querySelector('.action-label');
          // The label is a flex item, one box however many lines: its text's rects count the lines.
          const range = document.createRange();
          range.selectNodeContents(label);
          const box = button.getBoundingClientRect();
          const padding = parseFloat(getComputedStyle(button).paddingRight);
          const text = range.getBoundingClientRect();
          seen.running = true;
          seen.text = label.textContent;
          seen.lines = Math.max(seen.lines, range.getClientRects().length);
          seen.inside = seen.inside && text.left >= box.left && text.right <= box.right - padding + 0.5;
          seen.overflow = Math.max(seen.overflow,
              document.documentElement.scrollWidth - document.documentElement.clientWidth);
        }).observe(card, { attributes: true, subtree: true, childList: true, characterData: true });
        """);
    button("web", "restart").click();
    awaitToast("ok", "Web Frontend");
    @SuppressWarnings("unchecked")
    Map<String, Object> seen = (Map<String, Object>) js("return window.__label;");
    assertThat(seen.get("running")).as("the busy label was shown").isEqualTo(true);
    assertThat(seen.get("text")).isEqualTo("Restarting…");
    assertThat(((Number) seen.get("lines")).intValue()).as("lines of the busy label").isEqualTo(1);
    assertThat(seen.get("inside")).as("the label inside its button's padding").isEqualTo(true);
    assertThat(((Number) seen.get("overflow")).intValue()).as("horizontal scrolling").isLessThanOrEqualTo(0);
    awaitButtonsEnabled("web");
    dismissToasts();
  }

  @Test
  @DisplayName("Scrolled to the recent operations, by its link target or by scrollIntoView, its heading is clear of the sticky header at 390×844 and 1366×768")
  void operationsHeadingClearOfHeader() {
    Object id = fakeHistory();
    try {
      for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1366, 768))) {
        browser.get(url());
        HeadlessChromium.viewport(browser, size.getWidth(), size.getHeight());
        awaitLive();
        await().until(d -> d.findElements(By.cssSelector("#operations .op")).size() == 20);
        for (String scroll : List.of("location.hash = '#operations';",
            "document.getElementById('operations').scrollIntoView();")) {
          js("history.replaceState(null, '', location.pathname); window.scrollTo(0, 0);");
          js(scroll);
          @SuppressWarnings("unchecked")
          Map<String, Object> at = (Map<String, Object>) js("""
              return {
                scrolled: window.scrollY,
                header: document.querySelector('.topbar').getBoundingClientRect().bottom,
                heading: document.getElementById('operations-title').getBoundingClientRect().top,
              };
              """);
          assertThat(((Number) at.get("scrolled")).doubleValue()).as("the page scrolled (%s, %s)", scroll, size)
              .isGreaterThan(0);
          assertThat(((Number) at.get("heading")).doubleValue())
              .as("heading top against the header's bottom (%s, %s)", scroll, size)
              .isGreaterThanOrEqualTo(((Number) at.get("header")).doubleValue());
        }
      }
    } finally {
      browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
    }
  }
}
