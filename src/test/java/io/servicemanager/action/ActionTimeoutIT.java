package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The configurable job timeout: the caller is answered, systemd's job goes on, the next job waits for it. */
class ActionTimeoutIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("slow.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sleep 3\n");

  @Test
  @DisplayName("After actions.timeout_seconds the caller hears timeout, the job still finishes, and a stop queued behind it runs afterwards")
  void timeoutAnswersWhileTheJobGoesOn() {
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig base = TestConfigs.forBus(systemd.busAddress());
      AppConfig config = new AppConfig(base.httpHost(), 0, base.bus(), base.servicesFile(), base.historyFile(), 1_000, 0);
      Application.deploy(vertx, config, new ServiceCatalogue(List.of(
          new ServiceDefinition("slow", "slow.service", "Slow", "3 s to start", Permission.ALL, true)))).await();
      long started = System.nanoTime();
      Future<JsonObject> start = request(vertx, "start");
      Future<JsonObject> stop = request(vertx, "stop");

      JsonObject timedOut = start.await();
      long answeredAfterMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(timedOut.getString("status")).as(timedOut.encode()).isEqualTo("error");
      assertThat(timedOut.getString("result")).isEqualTo("timeout");
      assertThat(timedOut.getString("message")).contains("the job goes on");
      assertThat(answeredAfterMs).as("answered at the timeout, not at the job's end").isLessThan(2_500);

      // The stop waited for the start job to end: systemd never saw the two overlap.
      JsonObject stopped = stop.await();
      assertThat(stopped.getString("status")).as(stopped.encode()).isEqualTo("success");
      assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(3_000);
      assertThat(systemd.activeState("slow.service")).isEqualTo("inactive");
    } finally {
      vertx.close().await();
    }
  }

  private static Future<JsonObject> request(Vertx vertx, String action) {
    return vertx.eventBus().<JsonObject>request(Addresses.ACTION,
        new JsonObject().put("service", "slow").put("action", action).put("identity", io.servicemanager.testing.TestConfigs.operatorIdentity()),
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(30_000)).map(m -> m.body());
  }
}
