package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.config.AppConfig;
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
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard's login as a person meets it, in headless Chromium on a real systemd. */
class LoginBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("game.service", "[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit("other.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    TestConfigs.writeUsers(config.auth().usersFile(),
        "  viola:", "    password: \"" + PasswordHash.hash("viola-password".toCharArray()) + "\"",
        "    role: viewer", "    services: [game]");
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("game", "game.service", "PZServer Game Server", "Project Zomboid", Permission.RESTART, true),
        new ServiceDefinition("other", "other.service", "Other", "Not viola's", Permission.ALL, true)))).await();
    systemd.sandbox().systemctlOk("start", "game.service");
    browser = HeadlessChromium.start();
    HeadlessChromium.spyOnWebSockets(browser);
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

  @BeforeEach
  void freshBrowser() {
    browser.manage().deleteAllCookies();
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  /**
   * Logged out, the page meets 401s and a refused /ws by design; the browser logs those as console
   * errors. Anything else — a CSP violation, a script error — fails the test.
   */
  @AfterEach
  void noOtherConsoleProblems() {
    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser).stream()
        .filter(e -> !e.getMessage().contains("status of 401"))
        .filter(e -> !(e.getMessage().contains("WebSocket connection to") && e.getMessage().contains("/ws")))
        .toList();
    assertThat(problems).as("console errors and CSP violations").isEmpty();
  }

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

  private static boolean loginShown() {
    return browser.findElement(By.id("login-dialog")).isDisplayed();
  }

  private static void submitLogin(String user, String password) {
    WebElement name = browser.findElement(By.id("login-user"));
    name.clear();
    name.sendKeys(user);
    browser.findElement(By.id("login-password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
  }

  private static void awaitLive() {
    await().until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
  }

  private static List<String> cards() {
    return browser.findElements(By.cssSelector("#services .card")).stream().map(c -> c.getAttribute("data-service")).toList();
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve("login-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @DisplayName("Without a session the form comes first and nothing else; a wrong password says so; the right one shows the user, acts as them, and logout clears the page")
  void logInActLogOut() throws Exception {
    browser.get(url());
    await().until(d -> loginShown());
    assertThat(cards()).as("no data before login").isEmpty();
    screenshot("form");

    submitLogin(TestConfigs.OPERATOR, "wrong password");
    WebElement error = await().until(d -> d.findElement(By.id("login-error")).isDisplayed() ? d.findElement(By.id("login-error")) : null);
    assertThat(error.getText()).isEqualTo("Wrong user name or password.");
    assertThat(loginShown()).isTrue();
    assertThat(browser.findElement(By.id("login-password")).getAttribute("value")).as("the wrong password is cleared").isEmpty();

    submitLogin(TestConfigs.OPERATOR, TestConfigs.PASSWORD);
    await().until(d -> !loginShown());
    awaitLive();
    assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo(TestConfigs.OPERATOR);
    await().until(d -> cards().equals(List.of("game", "other")));
    await().until(d -> d.findElements(By.cssSelector(".card[data-service='game'][data-status='active']")).size() == 1);
    screenshot("logged-in");

    browser.findElement(By.cssSelector(".card[data-service='game'] button.action[data-action='restart']")).click();
    WebElement row = await().until(d -> d.findElements(By.cssSelector("#operations .op[data-service='game'][data-result='done']"))
        .stream().findFirst().orElse(null));
    assertThat(row.getText()).contains("restart").contains(TestConfigs.OPERATOR);
    // The result toast stays while the pointer rests on it, as it would under the user's mouse.
    WebElement toast = await().until(d -> d.findElements(By.cssSelector("#toasts .toast[data-tone='ok']"))
        .stream().findFirst().orElse(null));
    js("arguments[0].dispatchEvent(new PointerEvent('pointerenter'));", toast);

    browser.findElement(By.id("logout")).click();
    await().until(d -> loginShown());
    SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(cards()).as("the next person at this screen sees nothing").isEmpty();
      soft.assertThat(browser.findElements(By.cssSelector("#toasts .toast"))).as("the previous user's toasts").isEmpty();
      soft.assertThat(browser.findElement(By.id("stale-notice")).isDisplayed()).as("the 'last known state' banner")
          .isFalse();
      soft.assertThat(browser.findElement(By.id("account")).isDisplayed()).as("who was signed in").isFalse();
      soft.assertThat(browser.findElement(By.id("login-user")).getAttribute("value"))
          .as("the form does not offer the previous user's name").isEmpty();
    });
    assertThat(browser.manage().getCookieNamed("sm_session")).as("the session cookie is gone").isNull();
    assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("held");
    screenshots("logged-out");
  }

  /** The page as it is now at phone and laptop size; the window goes back to 1280×800 after. */
  private static void screenshots(String name) throws Exception {
    for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1366, 768))) {
      HeadlessChromium.viewport(browser, size.getWidth(), size.getHeight());
      screenshot(name + "-" + size.getWidth() + "x" + size.getHeight());
    }
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  @Test
  @DisplayName("A viewer limited to one service sees only that card, with no buttons, and their name marked view only")
  void viewerSeesOnlyTheirs() throws Exception {
    browser.get(url());
    await().until(d -> loginShown());
    submitLogin("viola", "viola-password");
    awaitLive();
    await().until(d -> cards().equals(List.of("game")));
    assertThat(browser.findElements(By.cssSelector(".card button.action"))).isEmpty();
    assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo("viola (view only)");
    screenshot("viewer");
  }

  @Test
  @DisplayName("Under anonymous: viewer the page shows the services read-only with a Log in button, and logging in gives the buttons")
  void anonymousViewerThenLogIn() throws Exception {
    Vertx own = Vertx.vertx();
    try {
      AppConfig base = TestConfigs.forBus(systemd.busAddress());
      Application open = Application.deploy(own, base.with(b -> b.auth = 
          new AppConfig.Auth(base.auth().usersFile(), base.auth().secretFile(), true)), new ServiceCatalogue(List.of(
              new ServiceDefinition("game", "game.service", "PZServer Game Server", "Project Zomboid", Permission.RESTART, true))))
          .await();
      browser.get("http://127.0.0.1:" + open.httpPort() + "/");
      awaitLive();
      await().until(d -> cards().equals(List.of("game")));
      assertThat(loginShown()).isFalse();
      assertThat(browser.findElement(By.id("account-label")).getText()).isEqualTo("Not signed in:");
      assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo("view only");
      assertThat(browser.findElements(By.cssSelector(".card button.action"))).isEmpty();
      screenshot("anonymous");

      browser.findElement(By.id("login")).click();
      await().until(d -> loginShown());
      submitLogin(TestConfigs.OPERATOR, TestConfigs.PASSWORD);
      await().until(d -> !loginShown());
      awaitLive();
      await().until(d -> !d.findElements(By.cssSelector(".card[data-service='game'] button.action[data-action='restart']")).isEmpty());
      assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo(TestConfigs.OPERATOR);
    } finally {
      browser.get("about:blank"); // leave before the server goes, or the page logs its reconnect attempts
      own.close().await();
    }
  }

  @Test
  @DisplayName("When the session ends the form appears over the page as it was, and after logging in the same page goes on live")
  void sessionExpiryKeepsThePage() throws Exception {
    browser.get(url());
    await().until(d -> loginShown());
    submitLogin(TestConfigs.OPERATOR, TestConfigs.PASSWORD);
    awaitLive();
    await().until(d -> cards().equals(List.of("game", "other")));
    js("window.__samePage = true; window.scrollTo(0, 0);");

    // The session ends: its cookie is gone, and the server drops the feed (as at expiry, close 1008).
    browser.manage().deleteCookieNamed("sm_session");
    js("window.__sockets.at(-1).close();");
    await().until(d -> loginShown());
    assertThat(browser.findElement(By.id("login-note")).getText()).contains("session has ended");
    assertThat(cards()).as("the page keeps its state under the form").containsExactly("game", "other");
    assertThat(browser.findElement(By.id("account")).isDisplayed()).as("'Signed in as' while the session has ended")
        .isFalse();
    screenshots("expired");

    submitLogin(TestConfigs.OPERATOR, TestConfigs.PASSWORD);
    await().until(d -> !loginShown());
    awaitLive();
    assertThat(js("return window.__samePage === true;")).as("no reload: the same page went on").isEqualTo(true);
    assertThat(cards()).containsExactly("game", "other");
    assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo(TestConfigs.OPERATOR);
  }
}
