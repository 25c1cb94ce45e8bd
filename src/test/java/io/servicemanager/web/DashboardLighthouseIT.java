package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.Lighthouse;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lighthouse 12 (mobile, its default simulated throttling) on the logged-in dashboard, with a
 * running, a stopped, a crashed and a hidden service on a real systemd: {@link Lighthouse#RUNS}
 * runs, reports in target/lighthouse/dashboard-N.json, figures printed.
 *
 * <p>Asserted on every run: accessibility and best practices 100, layout shift at most 0.05,
 * compressed text, and no request waterfall (every module asked for before the first one has
 * arrived). Asserted on the median run, as Lighthouse advises for a figure that varies from run
 * to run: performance at least 95. Its blocking time is the trace's own task lengths times four,
 * so a single run on a shared 2-core machine under load measures the machine as much as the page.
 */
class DashboardLighthouseIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service")
      .withUnit("web.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("game", "sleeper.service", "PZServer Game Server",
            "Project Zomboid dedicated game server", Permission.RESTART, true, false, true),
        new ServiceDefinition("web", "web.service", "Web Frontend", "Serves the public site", Permission.ALL, true),
        new ServiceDefinition("crashy", "exits-one.service", "Crashy Worker", "Exits with status 1",
            Permission.ALL, true),
        new ServiceDefinition("vault", "sleeper.service", "Vault", "Status hidden", Permission.START, false)));
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    systemd.sandbox().systemctl("start", "exits-one.service");
    app = Application.deploy(vertx, TestConfigs.forBus(systemd.busAddress()), services).await();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("Lighthouse mobile: median performance at least 95; every run accessibility 100, best practices 100, layout shift at most 0.05, compressed text, no module waterfall (every module preloaded), no service-page code")
  void lighthouse() {
    List<Lighthouse.Report> reports = Lighthouse.runs("dashboard", "http://127.0.0.1:" + app.httpPort() + "/",
        Lighthouse.operatorCookie(vertx, app.httpPort()));
    Lighthouse.assertTargets(reports, "/");
    for (Lighthouse.Report report : reports) {
      List<JsonObject> modules = report.requests().stream().filter(r -> r.getString("url").endsWith(".js")).toList();
      assertThat(modules).hasSizeGreaterThanOrEqualTo(12);
      // A service's page is code the list does not need: it is neither fetched nor run for it.
      assertThat(modules).extracting(r -> r.getString("url"))
          .noneMatch(url -> url.matches(".*/(service-page|journal-view)(\\.[0-9a-f]{10})?\\.js"));
      // No module waterfall: every module but the entry script is asked for by index.html's
      // <link rel=modulepreload>, found by the preload scanner, never by the import of a module that
      // had to arrive first. (When each request is sent depends on the browser's six connections per
      // host and on a busy CPU; what asked for it does not.)
      assertThat(modules).filteredOn(r -> !r.getString("url").matches(".*/app\\.[0-9a-f]{10}\\.js"))
          .hasSize(modules.size() - 1)
          .allSatisfy(r -> assertThat(r.getBoolean("isLinkPreload", false))
              .as("%s asked for by a modulepreload link", r.getString("url")).isTrue());
    }
  }
}
