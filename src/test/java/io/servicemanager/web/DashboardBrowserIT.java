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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

/** The dashboard in a real headless Chromium, against a real systemd: cards appear and change live. */
class DashboardBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");

  @RegisterExtension
  static SystemdSandboxExtension systemd =
      new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service");

  static Vertx vertx;
  static Application app;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    // Fail loudly: a missing browser must never turn into a skipped test.
    systemd.sandbox().systemctl("start", "exits-one.service");
    systemd.sandbox().awaitActiveState("exits-one.service", "failed", Duration.ofSeconds(10));

    vertx = Vertx.vertx();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "PZServer Game Server",
            "Project Zomboid dedicated game server", Permission.RESTART, true),
        new ServiceDefinition("exits-one", "exits-one.service", "Crashy Worker",
            "Exits with status 1", Permission.ALL, true),
        new ServiceDefinition("vault", "sleeper.service", "Vault", "Status hidden", Permission.START, false)));
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()),
        services).await();

    browser = HeadlessChromium.start();
    HeadlessChromium.spyOnWebSockets(browser);
    HeadlessChromium.logIn(browser, "http://127.0.0.1:" + app.httpPort() + "/", TestConfigs.OPERATOR, TestConfigs.PASSWORD);
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

  private static WebElement card(String service) {
    return browser.findElement(By.cssSelector(".card[data-service='" + service + "']"));
  }

  private static void awaitCardStatus(String service, String status) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d ->
        d.findElements(By.cssSelector(".card[data-service='" + service + "'][data-status='" + status + "']"))
            .size() == 1);
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @DisplayName("The dashboard shows a card per service and recolours a card when systemctl starts its unit, without a reload")
  void cardChangesLive() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 800));
    browser.get("http://127.0.0.1:" + app.httpPort() + "/");
    awaitCardStatus("sleeper", "inactive");
    awaitCardStatus("exits-one", "failed");
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
        "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    assertThat(card("vault").getText()).containsIgnoringCase("hidden");
    assertThat(card("sleeper").getText()).contains("PZServer Game Server");
    String inactiveBorder = card("sleeper").getCssValue("border-left-color");
    screenshot("dashboard-before");

    ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");
    systemd.sandbox().systemctl("start", "sleeper.service");
    awaitCardStatus("sleeper", "active");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__notReloaded === true;"))
        .as("the page was not reloaded").isEqualTo(true);
    assertThat(card("sleeper").getCssValue("border-left-color")).isNotEqualTo(inactiveBorder);
    assertThat(browser.findElement(By.id("summary")).getText()).contains("1 running");
    screenshot("dashboard-after-start");

    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser);
    assertThat(problems).as("console errors and CSP violations").isEmpty();
  }

  private static void awaitConnection(String state) {
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
        state.equals(d.findElement(By.id("connection")).getAttribute("data-state")));
  }

  @Test
  @DisplayName("axe-core finds no violations, live and while reconnecting with the last known cards, at 390×844 and 1366×768")
  void accessibleLiveAndStale() throws Exception {
    for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1366, 768))) {
      String at = size.getWidth() + "x" + size.getHeight();
      browser.get("http://127.0.0.1:" + app.httpPort() + "/");
      HeadlessChromium.viewport(browser, size.getWidth(), size.getHeight());
      awaitConnection("live");
      awaitCardStatus("exits-one", "failed");
      assertThat(HeadlessChromium.axe(browser)).as("axe violations, live, %s", at).isEmpty();
      screenshot("dashboard-normal-" + at);

      HeadlessChromium.cutWebSockets(browser);
      awaitConnection("reconnecting");
      assertThat(browser.findElement(By.id("stale-notice")).isDisplayed()).isTrue();
      assertThat(card("exits-one").isDisplayed()).as("the last known cards stay").isTrue();
      assertThat(HeadlessChromium.axe(browser)).as("axe violations, reconnecting, %s", at).isEmpty();
      screenshot("dashboard-reconnecting-" + at);

      HeadlessChromium.restoreWebSockets(browser);
      // "Retry now" skips the back-off, unless the page's own next attempt got there first.
      ((JavascriptExecutor) browser).executeScript(
          "const retry = document.getElementById('connection-retry'); if (!retry.hidden) retry.click();");
      awaitConnection("live");
    }
    List<LogEntry> problems = HeadlessChromium.consoleProblems(browser).stream()
        .filter(e -> !HeadlessChromium.isRefusedSocket(e)).toList();
    assertThat(problems).as("console errors and CSP violations besides the refused sockets").isEmpty();
  }

  @Test
  @DisplayName("At phone width the dashboard fits without horizontal scrolling")
  void phoneWidth() throws Exception {
    browser.manage().window().setSize(new Dimension(375, 800));
    browser.get("http://127.0.0.1:" + app.httpPort() + "/");
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d ->
        d.findElements(By.cssSelector(".card[data-service='exits-one'][data-status='failed']")).size() == 1);
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
    screenshot("dashboard-phone");
  }
}
