package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A /ws connection on a real systemd and on the manager's own Vert.x (native transport): a peer
 * that answers pings and sends nothing else stays open through several idle timeouts
 * ({@code idle_timeout_seconds}) and still gets every push.
 */
class UpgradedWebSocketIT {
  /** Keep-alive idle 3 s, /ws ping every 1 s. */
  static final AppConfig.HttpLimits LIMITS = new AppConfig.HttpLimits(2, 2, 3, 1);
  static final Duration BOUND = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  static Vertx vertx;
  static Application app;

  @BeforeAll
  static void start() {
    vertx = Metrics.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.limits = LIMITS);
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.RESTART, true)))).await();
  }

  @AfterAll
  static void stop() {
    systemd.sandbox().systemctl("stop", "sleeper.service");
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("A /ws peer that only answers pings outlives three idle timeouts, and is pushed each change of state")
  void answeringPeerStaysAndIsPushed() {
    Vertx clients = Vertx.vertx();
    try (WsClient ws = WsClient.connect(clients, app.httpPort())) {
      assertThat(ws.awaitType("snapshot", BOUND)).isNotNull();
      // Three idle timeouts in which the client sends nothing but its pongs.
      clients.timer(3 * LIMITS.idleTimeoutSeconds() + 1, java.util.concurrent.TimeUnit.SECONDS).await();
      assertThat(ws.closeStatus()).as("still open").isNull();
      systemd.sandbox().systemctlOk("start", "sleeper.service");
      assertThat(ws.awaitStatus("sleeper", "active", BOUND)).isNotNull();
      systemd.sandbox().systemctlOk("stop", "sleeper.service");
      assertThat(ws.awaitStatus("sleeper", "inactive", BOUND)).isNotNull();
    } finally {
      clients.close().await();
    }
  }
}
