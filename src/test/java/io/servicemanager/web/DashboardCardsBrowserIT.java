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
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The cards that explain, in a real headless Chromium against a real systemd with 203 services:
 * plain words, the reason of a crash on the card and in a follow-up toast, confirm_restart, the
 * finder (search, state filter, failed first) that touches only the card that changed, toasts
 * that never cover a button on a phone, the failed count in the title, and axe-core clean in
 * every state.
 */
class DashboardCardsBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WORKERS = 200;
  private static final int HIDDEN = WORKERS;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service")
      // Reported started, then dies 3 s later: the server follows up with start_failed.
      .withUnit("late-crash.service", "[Service]\nExecStart=/bin/sh -c 'sleep 3; exit 1'\n")
      .withUnit("steady.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("worker@.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    List<ServiceDefinition> services = new ArrayList<>(List.of(
        new ServiceDefinition("game", "sleeper.service", "PZServer Game Server",
            "Project Zomboid dedicated game server", Permission.RESTART, true, false, true),
        new ServiceDefinition("late", "late-crash.service", "Late Crasher", "Dies a few seconds after it starts",
            Permission.ALL, true),
        new ServiceDefinition("steady", "steady.service", "Steady Worker", "Runs until told otherwise",
            Permission.ALL, true)));
    for (int i = 1; i <= WORKERS; i++) {
      // The last one's state is hidden (status_check_allowed: false): its card has no bar.
      services.add(new ServiceDefinition("worker-" + i, "worker@" + i + ".service", "Worker " + i,
          "Batch worker number " + i, Permission.ALL, i != HIDDEN));
    }
    systemd.sandbox().systemctlOk("start", "sleeper.service", "worker@7.service", "worker@8.service");
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), new ServiceCatalogue(services)).await();

    browser = HeadlessChromium.start();
    HeadlessChromium.spyOnWebSockets(browser);
    fakeNotifications();
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

  @AfterEach
  void noConsoleProblems() {
    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser).stream()
        .filter(e -> !HeadlessChromium.isRefusedSocket(e)).toList();
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
    return browser.executeScript(script, args);
  }

  private static void open(int width, int height) {
    HeadlessChromium.viewport(browser, width, height);
    browser.get(url());
    await().until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    awaitCardStatus("game", "active");
    // The small bars come after first paint; a test that watches the cards starts once they are drawn.
    await().until(d -> "drawn".equals(js("return document.body.dataset.bars;")));
  }

  /**
   * A stand-in for the browser's Notification on every page of this class, which records what the
   * page asks and shows: headless Chromium has no notifications to look at. Its permission starts
   * as "default" on each page, as a browser's does until the user answers.
   */
  private static void fakeNotifications() {
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        (() => {
          window.__permissionAsks = 0;
          window.__notifications = [];
          let permission = 'default';
          window.Notification = class {
            static get permission() { return permission; }
            static async requestPermission() { window.__permissionAsks += 1; permission = 'granted'; return permission; }
            constructor(title, options) { window.__notifications.push(title + ': ' + (options?.body ?? '')); }
          };
        })();
        """));
  }

  private static String barLabel(String service) {
    return (String) js("return document.querySelector(`.card[data-service='${arguments[0]}'] .card-bar svg`)"
        + "?.getAttribute('aria-label') ?? null;", service);
  }

  private static String lastSegment(String service) {
    return (String) js("return [...document.querySelectorAll(`.card[data-service='${arguments[0]}'] .card-bar .seg`)]"
        + ".pop()?.getAttribute('class') ?? null;", service);
  }

  /** The requests this page made for timelines: one batch, and none per card. */
  @SuppressWarnings("unchecked")
  private static List<String> timelineRequests() {
    return (List<String>) js("return performance.getEntriesByType('resource').map((e) => e.name)"
        + ".filter((n) => n.includes('timeline'));");
  }

  private static WebElement card(String service) {
    return browser.findElement(By.cssSelector(".card[data-service='" + service + "']"));
  }

  private static void awaitCardStatus(String service, String status) {
    await().until(d -> d.findElements(
        By.cssSelector(".card[data-service='" + service + "'][data-status='" + status + "']")).size() == 1);
  }

  private static WebElement button(String service, String action) {
    return card(service).findElement(By.cssSelector("button.action[data-action='" + action + "']"));
  }

  private static void awaitEnabled(String service, String action) {
    await().until(d -> button(service, action).isEnabled() && card(service).getAttribute("data-busy") == null);
  }

  private static WebElement awaitToast(String tone, String containing) {
    By selector = By.cssSelector("#toasts .toast[data-tone='" + tone + "']");
    return await().until(d -> d.findElements(selector).stream()
        .filter(t -> t.getText().contains(containing)).findFirst().orElse(null));
  }

  private static void dismissToasts() {
    js("document.querySelectorAll('#toasts .toast').forEach((t) => t.remove());");
  }

  private static boolean dialogOpen() {
    return Boolean.TRUE.equals(js("return document.getElementById('confirm-dialog').open;"));
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve("cards-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static long shown() {
    return ((Number) js("return document.querySelectorAll('#services > .card:not([hidden])').length;")).longValue();
  }

  private static void search(String text, String filter) {
    js("""
        const search = document.getElementById('search');
        search.value = arguments[0];
        search.dispatchEvent(new Event('input', { bubbles: true }));
        const select = document.getElementById('state-filter');
        select.value = arguments[1];
        select.dispatchEvent(new Event('change', { bubbles: true }));
        """, text, filter);
  }

  private static void assertAxeClean(String state) {
    assertThat(HeadlessChromium.axe(browser)).as("axe-core violations: %s", state).isEmpty();
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  @DisplayName("States read in plain words: Running in green with no repeated sub-state, Stopped in grey, and a summary by state")
  void plainWords() {
    open(1366, 768);
    assertThat(card("game").findElement(By.cssSelector(".badge-text")).getText()).isEqualTo("Running");
    assertThat(card("game").getAttribute("data-tone")).isEqualTo("ok");
    assertThat(card("game").findElement(By.cssSelector(".sub-state")).isDisplayed()).as("no 'running' after Running").isFalse();
    awaitCardStatus("worker-1", "inactive");
    assertThat(card("worker-1").findElement(By.cssSelector(".badge-text")).getText()).isEqualTo("Stopped");
    assertThat(card("worker-1").getAttribute("data-tone")).as("stopped is grey, not a warning").isEqualTo("off");
    assertThat(card("worker-1").findElement(By.cssSelector(".sub-state")).isDisplayed()).as("no 'dead'").isFalse();
    assertThat(browser.findElement(By.id("summary")).getText()).startsWith("3 running").contains("stopped");
  }

  @Test
  @DisplayName("Each card whose state may be seen has a small 24 h bar with coloured segments and its summary in words, all from one request; a hidden service's card has none")
  void smallBars() throws Exception {
    open(1366, 768);
    WebElement bar = card("game").findElement(By.cssSelector(".card-bar"));
    assertThat(bar.findElements(By.cssSelector("svg[role='img'] rect.seg"))).as("segments").isNotEmpty();
    assertThat(lastSegment("game")).isEqualTo("seg seg-running");
    assertThat(barLabel("game")).matches("Last 24 h: up \\d+(\\.\\d)? %, 0 failures(, \\d+ % not observed)?");
    assertThat(bar.getAttribute("title")).as("the same words on hover").isEqualTo(barLabel("game"));
    assertThat(card("worker-42").findElements(By.cssSelector(".card-bar .seg"))).as("a stopped one too").isNotEmpty();

    WebElement hidden = card("worker-" + HIDDEN);
    assertThat(hidden.getAttribute("data-status")).isEqualTo("hidden");
    assertThat(hidden.findElement(By.cssSelector(".card-bar")).isDisplayed()).isFalse();
    assertThat(hidden.findElements(By.cssSelector(".card-bar *"))).as("nothing drawn for a hidden service").isEmpty();
    assertThat(hidden.findElement(By.cssSelector(".card-bar")).getDomAttribute("title")).isNull();

    assertThat(timelineRequests()).as("203 cards, one request").hasSize(1)
        .allMatch(u -> u.endsWith("/api/timeline?window=24h"));
    assertThat(((Number) js("return document.querySelectorAll('#services .card-bar svg').length;")).intValue())
        .as("every visible service's bar").isEqualTo(WORKERS + 2);
    screenshot("desktop-1366-bars");
    assertAxeClean("small bars");
    HeadlessChromium.viewport(browser, 390, 844);
    js("window.scrollTo(0, 0);");
    screenshot("phone-390-bars");
  }

  @Test
  @DisplayName("A service with confirm_restart asks before its restart: Cancel restarts nothing, Restart does")
  void confirmRestart() {
    open(1366, 768);
    search("PZServer", "all");
    String pid = systemd.sandbox().property("sleeper.service", "MainPID");
    awaitEnabled("game", "restart");
    button("game", "restart").click();
    await().until(d -> dialogOpen());
    assertThat(browser.findElement(By.id("confirm-title")).getText()).isEqualTo("Restart PZServer Game Server?");
    assertThat(browser.findElement(By.id("confirm-ok")).getText()).isEqualTo("Restart");
    assertAxeClean("restart confirmation open");
    browser.findElement(By.id("confirm-cancel")).click();
    await().until(d -> !dialogOpen());
    assertThat(card("game").getAttribute("data-busy")).as("nothing was sent").isNull();
    assertThat(systemd.sandbox().property("sleeper.service", "MainPID")).isEqualTo(pid);

    button("game", "restart").click();
    await().until(d -> dialogOpen());
    browser.findElement(By.id("confirm-ok")).click();
    awaitToast("ok", "PZServer Game Server restarted");
    assertThat(systemd.sandbox().property("sleeper.service", "MainPID")).isNotEqualTo(pid);
    search("", "all");
  }

  @Test
  @DisplayName("A unit that dies after it was started from the page gets a red follow-up toast, its card says Crashed with the reason and moves first, its bar turns red from the pushes, and the title counts it on every page")
  void crashUnderOpenPage() throws Exception {
    open(390, 844);
    awaitCardStatus("late", "inactive");
    String barBefore = barLabel("late");
    assertThat(barBefore).contains("0 failures");
    dismissToasts();
    search("late", "all");
    awaitEnabled("late", "start");
    button("late", "start").click();
    awaitToast("ok", "Late Crasher started");
    WebElement followUp = awaitToast("bad", "exited with status 1");
    assertThat(followUp.getText()).contains("Late Crasher failed");
    assertThat(followUp.getAttribute("role")).isEqualTo("alert");
    awaitCardStatus("late", "failed");
    await().until(d -> card("late").findElement(By.cssSelector(".card-reason")).getText().contains("exited with status 1"));
    assertThat(card("late").findElement(By.cssSelector(".card-reason")).getText()).matches("exited with status 1, .*");
    assertThat(card("late").findElement(By.cssSelector(".badge-text")).getText()).isEqualTo("Crashed");
    assertThat(card("late").getAttribute("data-tone")).isEqualTo("bad");
    assertThat(card("late").findElement(By.cssSelector(".card-op")).getText()).startsWith("Started by " + TestConfigs.OPERATOR);
    await().until(d -> "seg seg-failed".equals(lastSegment("late")));
    assertThat(barLabel("late")).as("the bar grew from the pushes").contains("1 failure").isNotEqualTo(barBefore);
    assertThat(timelineRequests()).as("no request for it").hasSize(1);
    assertThat(browser.getTitle()).isEqualTo("(1 failed) Service Manager");
    assertThat(browser.findElement(By.cssSelector("link[rel='icon']")).getAttribute("href")).startsWith("data:image/svg+xml");
    screenshot("phone-390-crash");
    assertAxeClean("crashed card and toasts");

    search("", "all");
    assertThat(js("return document.querySelector('#services > .card').dataset.service;"))
        .as("failed first").isEqualTo("late");
    assertThat(browser.findElement(By.id("summary")).getText()).contains("1 crashed");
    HeadlessChromium.viewport(browser, 1366, 768);
    screenshot("desktop-1366-crash");

    // The failed count stays in the title on a service's page and back on the list.
    card("late").findElement(By.cssSelector(".card-page-link")).click();
    await().until(d -> "(1 failed) Late Crasher · Service Manager".equals(d.getTitle()));
    browser.navigate().back();
    await().until(d -> d.findElement(By.id("service-page")).getAttribute("hidden") != null);
    assertThat(browser.getTitle()).isEqualTo("(1 failed) Service Manager");
  }

  @Test
  @DisplayName("A service that fails on its own while the page is open gets a red toast with its reason")
  void failureOnItsOwn() {
    systemd.sandbox().systemctlOk("start", "steady.service");
    open(1366, 768);
    awaitCardStatus("steady", "active");
    dismissToasts();
    systemd.sandbox().systemctlOk("kill", "--signal=KILL", "steady.service");
    WebElement toast = awaitToast("bad", "Steady Worker failed");
    assertThat(toast.getText()).contains("signal");
    await().until(d -> card("steady").findElement(By.cssSelector(".card-reason")).getText().contains("signal"));
    systemd.sandbox().systemctl("reset-failed", "steady.service");
  }

  @Test
  @DisplayName("With 203 services: search by name, description or unit, filter by state; a push touches only its own card")
  void findAmongMany() throws Exception {
    open(1366, 768);
    await().until(d -> d.findElements(By.cssSelector("#services > .card")).size() == WORKERS + 3);
    assertThat(browser.findElement(By.id("finder")).isDisplayed()).isTrue();

    search("worker@42.service", "all");
    assertThat(shown()).as("by unit").isEqualTo(1);
    assertThat(card("worker-42").isDisplayed()).isTrue();
    search("number 150", "all");
    assertThat(shown()).as("by description").isEqualTo(1);
    search("Worker", "running");
    await().until(d -> shown() == 2);
    assertThat(card("worker-7").isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("finder-count")).getText()).isEqualTo("2 of 203 shown");
    screenshot("desktop-1366-finder");
    assertAxeClean("finder in use");

    // A push for one service changes nothing outside its card: no card is rebuilt or moved.
    js("""
        window.__mutations = [];
        const services = document.getElementById('services');
        new MutationObserver((records) => records.forEach((r) => {
          const card = (r.target.nodeType === 1 ? r.target : r.target.parentElement).closest('.card');
          window.__mutations.push(r.target === services ? 'container' : card ? card.dataset.service : 'other');
        })).observe(services, { subtree: true, childList: true, attributes: true, characterData: true });
        """);
    systemd.sandbox().systemctlOk("start", "worker@9.service");
    await().until(d -> shown() == 3);
    @SuppressWarnings("unchecked")
    List<String> touched = (List<String>) js("return window.__mutations;");
    assertThat(touched).isNotEmpty().containsOnly("worker-9");
    search("", "all");
    systemd.sandbox().systemctlOk("stop", "worker@9.service");
  }

  @Test
  @DisplayName("On a 390 px phone no toast covers a button, and axe-core finds nothing while reconnecting")
  void toastsCoverNothing() throws Exception {
    open(390, 844);
    dismissToasts();
    awaitEnabled("steady", "start");
    js("window.scrollTo(0, 0);");
    // Two toasts at once: a failure, then a success held under the pointer as a reader would.
    search("", "all");
    systemd.sandbox().systemctlOk("start", "steady.service");
    awaitCardStatus("steady", "active");
    systemd.sandbox().systemctlOk("kill", "--signal=KILL", "steady.service");
    awaitToast("bad", "Steady Worker failed");
    js("window.scrollTo(0, 0);");
    button("game", "restart").click();
    await().until(d -> dialogOpen());
    browser.findElement(By.id("confirm-ok")).click();
    WebElement ok = awaitToast("ok", "restarted");
    js("arguments[0].dispatchEvent(new PointerEvent('pointerenter'));", ok);
    js("window.scrollTo(0, 0);");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> overlaps = (List<Map<String, Object>>) js("""
        const toasts = [...document.querySelectorAll('#toasts .toast')].map((t) => t.getBoundingClientRect());
        const hits = [];
        for (const control of document.querySelectorAll('button, input, select, a[href]')) {
          if (control.closest('#toasts') || !control.checkVisibility()) continue;
          const b = control.getBoundingClientRect();
          if (b.bottom <= 0 || b.top >= innerHeight) continue;
          for (const t of toasts) {
            if (b.left < t.right && t.left < b.right && b.top < t.bottom && t.top < b.bottom) {
              hits.push({ control: control.id || control.getAttribute('aria-label') || control.textContent });
            }
          }
        }
        return hits;
        """);
    assertThat(js("return document.querySelectorAll('#toasts .toast').length;")).isEqualTo(2L);
    assertThat(overlaps).as("controls under a toast").isEmpty();
    screenshot("phone-390-toasts");

    HeadlessChromium.cutWebSockets(browser);
    await().until(d -> "reconnecting".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    screenshot("phone-390-reconnecting");
    assertAxeClean("reconnecting");
    HeadlessChromium.restoreWebSockets(browser);
    browser.findElement(By.id("connection-retry")).click();
    await().until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    assertAxeClean("live with toasts");
    systemd.sandbox().systemctl("reset-failed", "steady.service");
  }

  @Test
  @DisplayName("Browser notifications are asked for only when the user opts in; then a failure while the page is in the background notifies, and turning them off stops that")
  void notificationsOnlyAfterOptIn() {
    // Two services: the page tells of a second failure of one service only after a pause.
    systemd.sandbox().systemctlOk("start", "steady.service", "worker@5.service");
    open(1366, 768);
    awaitCardStatus("steady", "active");
    awaitCardStatus("worker-5", "active");
    WebElement toggle = browser.findElement(By.id("notify-toggle"));
    assertThat(toggle.getAttribute("aria-pressed")).isEqualTo("false");
    assertThat(js("return window.__permissionAsks;")).as("nothing asked on load").isEqualTo(0L);
    js("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});");

    systemd.sandbox().systemctlOk("kill", "--signal=KILL", "worker@5.service");
    awaitToast("bad", "Worker 5 failed");
    assertThat(js("return window.__notifications;")).asList().as("not opted in: no notification").isEmpty();
    assertThat(js("return window.__permissionAsks;")).as("and still nothing asked").isEqualTo(0L);

    dismissToasts();
    systemd.sandbox().systemctl("reset-failed", "worker@5.service");
    js("delete document.visibilityState;");
    toggle.click();
    await().until(d -> "true".equals(toggle.getAttribute("aria-pressed")));
    assertThat(js("return window.__permissionAsks;")).as("asked once, on the click").isEqualTo(1L);
    assertThat(toggle.getText()).isEqualTo("Failure alerts on");

    js("Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});");
    systemd.sandbox().systemctlOk("kill", "--signal=KILL", "steady.service");
    await().until(d -> !((List<?>) js("return window.__notifications;")).isEmpty());
    assertThat(js("return window.__notifications;")).asList().singleElement().asString()
        .startsWith("Steady Worker failed: ").contains("signal");

    js("delete document.visibilityState;");
    toggle.click();
    await().until(d -> "false".equals(toggle.getAttribute("aria-pressed")));
    assertThat(js("return localStorage.getItem('sm.notify-failures');")).as("the choice is forgotten").isNull();
    systemd.sandbox().systemctl("reset-failed", "steady.service");
  }

  @Test
  @DisplayName("The page installs: a manifest with 192 and 512 px icons that load")
  void manifest() {
    open(1366, 768);
    browser.manage().timeouts().scriptTimeout(WAIT);
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const link = document.querySelector('link[rel="manifest"]').href;
          const answer = await fetch(link);
          const manifest = await answer.json();
          const icons = await Promise.all(manifest.icons.map(async (i) => `${i.sizes} ${(await fetch(new URL(i.src, link))).status}`));
          return { type: answer.headers.get('content-type'), display: manifest.display, icons };
        })().then(done, (e) => done({ error: String(e) }));
        """);
    assertThat(result.get("type")).isEqualTo("application/manifest+json");
    assertThat(result.get("display")).isEqualTo("standalone");
    assertThat(result.get("icons")).asList().contains("192x192 200", "512x512 200");
  }

  private static HttpClientResponse get(String uri, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(app.httpPort()).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    return vertx.createHttpClient().request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response)).await();
  }

  @Test
  @DisplayName("Files and API answers are compressed when asked (brotli first); the page and unversioned files are revalidated, a ?v= file of the current version kept a year")
  void compressionAndCaching() {
    HttpClientResponse page = get("/", "Accept-Encoding", "gzip, br");
    assertThat(page.getHeader("Content-Encoding")).isEqualTo("br");
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
    HttpClientResponse module = get("/cards.js", "Accept-Encoding", "gzip");
    assertThat(module.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(module.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(get("/cards.js", "If-Modified-Since", module.getHeader("Last-Modified")).statusCode())
        .as("unchanged: a bodiless 304").isEqualTo(304);
    java.util.regex.Matcher css = java.util.regex.Pattern.compile("href=\"style\\.([0-9a-f]{10})\\.css\"")
        .matcher(get("/").body().result().toString());
    assertThat(css.find()).as("index.html names style.css by its version").isTrue();
    assertThat(get("/style.css?v=" + css.group(1)).getHeader("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(get("/style.css?v=3").getHeader("Cache-Control")).as("not its version").isEqualTo("no-cache");
    assertThat(get("/index.html?v=3").getHeader("Cache-Control")).as("the page is never kept").isEqualTo("no-cache");
    assertThat(get("/cards.js").getHeader("Content-Encoding")).as("not asked for, not compressed").isNull();
    HttpClientResponse api = get("/api/services", "Accept-Encoding", "gzip",
        "Authorization", TestConfigs.operatorBasic());
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.getHeader("Content-Encoding")).isEqualTo("gzip");
  }
}
