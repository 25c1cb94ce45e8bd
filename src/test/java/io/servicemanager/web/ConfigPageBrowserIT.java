package io.servicemanager.web;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.testing.HeadlessChromium;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The configuration page (#/config) in a real headless Chromium, against a real systemd and real
 * files: "Not managed yet" asks systemd only when the button is pressed, each unit comes with its
 * YAML, the history lists the accepted versions; by keyboard, without axe violations, at phone and
 * desktop width; and a user limited to some services is offered no link.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigPageBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String LIMITED = "vera";
  private static final String SLEEP = "[Service]\nExecStart=/bin/sleep 400\n";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("pzserver.service", "[Unit]\nDescription=Project Zomboid\n" + SLEEP)
      .withUnit("minecraft.service", "[Unit]\nDescription=Minecraft server\n" + SLEEP)
      .withUnit("terraria.service", "[Unit]\nDescription=Terraria <b>world</b>\n" + SLEEP);

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;
  static String url;
  static final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("config-page-it");
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n"
        + "    description: Zomboid\n    permissions_required: restart\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"), "  " + LIMITED + ":",
        "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: operator", "    services: [pzserver]");
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nsystemd:\n  bus: \""
        + systemd.busAddress() + "\"\nhistory_file: history.jsonl\ninsight:\n  database: sm.db\n"
        + "config_history:\n  dir: config-history\nauth:\n  secret_file: secret.key\n");
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
    ConfigLoader.LoadedConfig loaded = ConfigLoader.load(vertx, config).await();
    app = Application.deploy(vertx, loaded.app(), loaded.services()).await();
    assertThat(versions.poll(30, SECONDS)).as("the version at start").isNotNull();
    url = "http://127.0.0.1:" + app.httpPort() + "/";
    browser = HeadlessChromium.start();
    // Copy YAML writes to the clipboard; the test reads it back.
    browser.executeCdpCommand("Browser.grantPermissions", java.util.Map.of("permissions",
        List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    HeadlessChromium.logIn(browser, url, TestConfigs.OPERATOR, TestConfigs.PASSWORD);
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

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static WebElement focused() {
    return browser.switchTo().activeElement();
  }

  private static void tabTo(String selector) {
    for (int i = 0; i < 30 && !focused().equals(browser.findElement(By.cssSelector(selector))); i++) {
      new Actions(browser).sendKeys(Keys.TAB).perform();
    }
    assertThat(focused()).as("Tab reaches %s", selector).isEqualTo(browser.findElement(By.cssSelector(selector)));
  }

  private static Object js(String script) {
    return browser.executeScript(script);
  }

  @Test
  @Order(1)
  @DisplayName("By keyboard: the header's link opens the page, which loads its module only then; Look for units lists the units not managed with their YAML; the history lists the versions")
  void byKeyboard() throws Exception {
    HeadlessChromium.viewport(browser, 1366, 768);
    browser.get(url);
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("config-link")).isDisplayed());
    assertThat(js("return performance.getEntriesByType('resource').some((r) => r.name.endsWith('config-page.js'));"))
        .as("the page's module is not fetched for the list").isEqualTo(false);

    tabTo("#config-link");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("#config-page .version")).size() >= 1);
    assertThat(focused().getText()).as("the heading takes the focus").isEqualTo("Configuration");
    assertThat(browser.findElement(By.cssSelector("#config-page .version-message")).getText())
        .isEqualTo("first version: 1 service, 2 users, 0 tokens");
    assertThat(browser.findElement(By.id("services")).isDisplayed()).as("the list steps aside").isFalse();
    assertThat(browser.findElements(By.cssSelector(".unmanaged-unit"))).as("nothing asked of systemd yet").isEmpty();

    tabTo("#config-page .unmanaged-controls .page-button");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.cssSelector(".unmanaged-unit[data-unit='minecraft.service']")).isEmpty());
    WebElement terraria = browser.findElement(By.cssSelector(".unmanaged-unit[data-unit='terraria.service']"));
    assertThat(terraria.getText()).contains("Terraria <b>world</b>").as("text, never markup");
    assertThat(terraria.findElement(By.cssSelector(".unmanaged-yaml")).getText()).contains("\"terraria\":")
        .contains("display_name: \"Terraria <b>world</b>\"").contains("permissions_required: \"restart\"");
    assertThat(browser.findElements(By.cssSelector(".unmanaged-unit[data-unit='pzserver.service']"))).as("configured").isEmpty();
    // The sandbox's manager also has the user units Debian installs (gpg-agent and the like).
    assertThat(browser.findElement(By.cssSelector(".unmanaged-status")).getText()).matches("\\d+ units not managed yet\\.");

    tabTo(".unmanaged-unit[data-unit='minecraft.service'] .unmanaged-copy");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.cssSelector(".unmanaged-status")).getText().contains("minecraft"));
    assertThat(browser.findElement(By.cssSelector(".unmanaged-status")).getText()).isEqualTo("Copied the YAML for minecraft.service.");
    String copied = (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done('refused: ' + e));");
    assertThat(copied).as("on the clipboard").contains("\"minecraft\":").contains("permissions_required: \"restart\"");

    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser);
    assertThat(problems).as("console errors and CSP violations").isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("axe-core finds no violations on the page with its units listed, at 390×844 and 1366×768, and nothing scrolls sideways")
  void accessible() throws Exception {
    for (int[] size : new int[][] {{390, 844}, {1366, 768}}) {
      String at = size[0] + "x" + size[1];
      browser.get(url + "#/config");
      HeadlessChromium.viewport(browser, size[0], size[1]);
      new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("#config-page .version")).size() >= 1);
      js("document.querySelector('#config-page .unmanaged-controls .page-button').click();");
      new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.cssSelector(".unmanaged-unit[data-unit='minecraft.service']")).isEmpty());
      assertThat(HeadlessChromium.axe(browser)).as("axe violations, %s", at).isEmpty();
      Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(((Number) overflow).intValue()).as("sideways scroll at %s", at).isLessThanOrEqualTo(0);
      js("window.scrollTo(0, 0);");
      screenshot("config-page-" + at);
      js("window.scrollTo(0, document.body.scrollHeight);");
      screenshot("config-page-" + at + "-end");
    }
    browser.get(url);
    HeadlessChromium.viewport(browser, 390, 844);
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("config-link")).isDisplayed());
    screenshot("config-link-390x844");
    // On a phone the user's name, the link and Log out share one row of the header.
    Object rows = js("""
        const middles = ['account-name', 'config-link', 'logout'].map((id) => {
          const box = document.getElementById(id).getBoundingClientRect();
          return Math.round((box.top + box.bottom) / 16);
        });
        return new Set(middles).size;""");
    assertThat(((Number) rows).intValue()).as("header rows taken by the name, Configuration and Log out at 390 px").isEqualTo(1);
  }

  @Test
  @Order(3)
  @DisplayName("A user limited to some services is offered no link, and #/config shows them nothing but the refusal")
  void limitedUser() throws Exception {
    browser.get(url);
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("logout")).isDisplayed());
    browser.findElement(By.id("logout")).click();
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("login-dialog")).isDisplayed());
    browser.findElement(By.id("login-user")).sendKeys(LIMITED);
    browser.findElement(By.id("login-password")).sendKeys(TestConfigs.PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("account-name")).getText().contains(LIMITED));
    assertThat(browser.findElement(By.id("config-link")).isDisplayed()).isFalse();

    browser.get(url + "#/config");
    new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.cssSelector(".versions-status")).getText().contains("could not be read"));
    assertThat(browser.findElements(By.cssSelector("#config-page .version"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector(".versions-status")).getText()).contains("may see only some");
  }

  @Test
  @Order(4)
  @DisplayName("On a server that keeps no configuration history, the page says so plainly instead of reporting a failure")
  void noHistoryKept() throws Exception {
    Path dir = Files.createTempDirectory("config-page-no-history-it");
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n"
        + "    description: Zomboid\n    permissions_required: restart\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nsystemd:\n  bus: \""
        + systemd.busAddress() + "\"\nauth:\n  secret_file: secret.key\n");
    // A Vert.x of its own: two managers on one event bus would answer each other's requests.
    Vertx other = Vertx.vertx();
    try {
      ConfigLoader.LoadedConfig loaded = ConfigLoader.load(other, config).await();
      AppConfig c = loaded.app();
      // A configuration built in code, as an embedding application's: no history directory.
      AppConfig built = new AppConfig(c.httpHost(), c.httpPort(), c.bus(), c.servicesFile(), c.historyFile(),
          c.jobTimeoutMs(), c.settleMs(), c.auth(), c.tls(), c.metricsPublic(), c.notifications(), c.bridge(),
          c.httpInstances(), c.limits(), null, c.insight());
      Application plain = Application.deploy(other, built, loaded.services()).await();
      String plainUrl = "http://127.0.0.1:" + plain.httpPort() + "/";
      HeadlessChromium.logIn(browser, plainUrl, TestConfigs.OPERATOR, TestConfigs.PASSWORD);
      browser.get(plainUrl + "#/config");
      new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.cssSelector(".versions-status")).getText().endsWith("."));
      assertThat(browser.findElement(By.cssSelector(".versions-status")).getText()).isEqualTo("This server keeps no configuration history.");
      assertThat(browser.findElements(By.cssSelector("#config-page .version"))).isEmpty();
      // The browser logs every 503 it receives; the page itself adds nothing.
      assertThat(HeadlessChromium.consoleProblems(browser)).as("console errors and CSP violations")
          .allSatisfy(e -> assertThat(e.getMessage()).contains("/api/config/history - Failed to load resource")
              .contains("503"));
    } finally {
      other.close().await();
    }
  }
}
