package io.servicemanager.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by its own chromedriver, headless, with the browser console recorded.
 * Fails loudly when either is missing: a browser test is never skipped.
 */
public final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  public static ChromeDriver start() {
    assertThat(CHROMIUM).as("Debian chromium (scripts/install-test-deps installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("Debian chromium-driver").isExecutable();
    try {
      ChromeOptions options = new ChromeOptions()
          .setBinary(CHROMIUM.toFile())
          // Without the background-networking flags Chromium's calls home are refused here, many at a time.
          .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-first-run",
              "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      return new ChromeDriver(service, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sizes the window so that the page's viewport (window.innerWidth × innerHeight, what CSS media
   * queries see) is {@code width} × {@code height}: a headless window's size includes its frame.
   */
  /** A wait on the page that looks again every 100 ms. */
  public static WebDriverWait await(ChromeDriver browser, Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout);
    wait.pollingEvery(Duration.ofMillis(100));
    return wait;
  }

  public static void viewport(ChromeDriver browser, int width, int height) {
    browser.manage().window().setSize(new Dimension(width, height));
    @SuppressWarnings("unchecked")
    List<Number> inner = (List<Number>) browser.executeScript("return [window.innerWidth, window.innerHeight];");
    browser.manage().window().setSize(new Dimension(
        2 * width - inner.get(0).intValue(), 2 * height - inner.get(1).intValue()));
  }

  /**
   * From now on, before each page's own scripts run (CDP), its WebSockets are kept in
   * {@code window.__sockets}, so a test can cut the live connection as a network drop would.
   */
  public static void spyOnWebSockets(ChromeDriver browser) {
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", """
        (() => {
          const Native = window.WebSocket;
          window.__sockets = [];
          window.__refuseSockets = false;
          window.WebSocket = class extends Native {
            // Refused: aimed at a path of the same server that has no feed (404, within the CSP).
            constructor(url, ...rest) {
              super(window.__refuseSockets ? new URL('no-such-feed', url).href : url, ...rest);
              window.__sockets.push(this);
            }
          };
        })();
        """));
  }

  /**
   * Cuts the page's feed as a dead server would (after {@link #spyOnWebSockets}): the live sockets
   * close and every new one is refused, until {@link #restoreWebSockets}. The refused handshakes
   * show in the console as "WebSocket connection to '…/no-such-feed' failed".
   */
  public static void cutWebSockets(ChromeDriver browser) {
    browser.executeScript("window.__refuseSockets = true; window.__sockets.forEach((ws) => ws.close());");
  }

  /** Lets new sockets through again; the page reconnects on its next attempt. */
  public static void restoreWebSockets(ChromeDriver browser) {
    browser.executeScript("window.__refuseSockets = false;");
  }

  /** Whether a console entry is one of the refused handshakes of {@link #cutWebSockets}. */
  public static boolean isRefusedSocket(LogEntry entry) {
    return entry.getMessage().contains("/no-such-feed' failed");
  }

  /**
   * Runs axe-core (src/test/node, exact version in package-lock.json) on the page as it is now,
   * with its default rules (WCAG 2.x A and AA plus best practices), and returns the violations as
   * "rule: help — selectors" lines, ready for {@code assertThat(...).isEmpty()}.
   */
  public static List<String> axe(ChromeDriver browser) {
    Path script = NodeTools.DIR.resolve("node_modules/axe-core/axe.min.js");
    assertThat(script).as("axe-core (scripts/install-test-deps)").isRegularFile();
    try {
      browser.executeScript(Files.readString(script));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    @SuppressWarnings("unchecked")
    List<String> violations = (List<String>) browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        axe.run(document).then(
          (result) => done(result.violations.map((v) => `${v.id}: ${v.help} — `
              + v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; '))),
          (error) => done([`axe failed: ${error}`]));
        """);
    return violations;
  }

  /**
   * Opens {@code url} and logs in through the dashboard's form; the session cookie then serves
   * every later page load of this browser. The 401 of the first session check is drained from
   * the console, so tests start with a clean one.
   */
  public static void logIn(ChromeDriver browser, String url, String user, String password) {
    browser.get(url);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.until(d -> d.findElement(By.id("login-dialog")).isDisplayed());
    browser.findElement(By.id("login-user")).sendKeys(user);
    browser.findElement(By.id("login-password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
    wait.until(d -> !d.findElement(By.id("login-dialog")).isDisplayed());
    wait.until(d -> d.findElement(By.id("account-name")).getText().contains(user));
    consoleProblems(browser);
  }

  /** Console warnings and errors since the last call — CSP violations among them. */
  public static List<LogEntry> consoleProblems(ChromeDriver browser) {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
  }
}
