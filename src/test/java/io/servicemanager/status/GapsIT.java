package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.FrameInbox;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time in which Service Manager did not watch is a gap (DESIGN §3): its own stop, until it starts
 * again, and a lost bus, until it is back; the first state seen after one comes from unknown.
 */
class GapsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("watched.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static final ServiceCatalogue SERVICES = new ServiceCatalogue(List.of(
      new ServiceDefinition("watched", "watched.service", "Watched", "watched", Permission.ALL, true)));

  /** Deploys on a fresh Vert.x; returns once the first state of the unit was seen (from unknown, after a gap). */
  static Application deploy(Vertx vertx, AppConfig config, FrameInbox transitions) {
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSITION, m -> transitions.add(m.body()));
    Application app = Application.deploy(vertx, config, SERVICES).await();
    transitions.await(t -> t.getValue("from") == null, WAIT);
    return app;
  }

  static JsonObject timeline(Vertx vertx, Application app) {
    var response = WebClient.create(vertx).request(HttpMethod.GET, app.httpPort(), "127.0.0.1",
        "/api/services/watched/timeline").putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static List<JsonObject> gaps(JsonObject timeline, String kind) {
    JsonArray gaps = timeline.getJsonArray("gaps");
    return gaps.stream().map(JsonObject.class::cast).filter(g -> kind.equals(g.getString("kind"))).toList();
  }

  @Test
  @DisplayName("A stop of Service Manager is a gap that its next start ends; a lost bus is a gap its return ends")
  void stopAndBusLoss() {
    systemd.sandbox().systemctlOk("start", "watched.service");
    AppConfig config = TestConfigs.forBus(systemd.sandbox().busAddress());
    Vertx first = Vertx.vertx();
    deploy(first, config, new FrameInbox("transition"));
    first.close().await();

    Vertx second = Vertx.vertx();
    try {
      FrameInbox transitions = new FrameInbox("transition");
      Application app = deploy(second, config, transitions);
      List<JsonObject> stopped = gaps(timeline(second, app), "stopped");
      assertThat(stopped).hasSize(1);
      assertThat(stopped.get(0).getString("end")).as("ended by the start").isNotNull();

      systemd.sandbox().killBusDaemon();
      // Back on the new bus: the state is seen again, from unknown.
      transitions.await(t -> t.getValue("from") == null, WAIT);
      List<JsonObject> lost = gaps(timeline(second, app), "bus-lost");
      assertThat(lost).hasSize(1);
      assertThat(lost.get(0).getString("end")).as("ended by the reconnect").isNotNull();
      assertThat(timeline(second, app).getJsonArray("transitions").stream().map(JsonObject.class::cast)
          .filter(t -> t.getValue("from") == null)).as("first sights: two starts and a reconnect").hasSize(3);
    } finally {
      second.close().await();
    }
  }
}
