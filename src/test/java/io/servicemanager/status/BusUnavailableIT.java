package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no bus to talk to, the manager says so: error everywhere, health DOWN, and it keeps serving. */
class BusUnavailableIT {
  private Vertx vertx;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("A bus that cannot be reached gives status error for visible services, null for hidden ones, and health 503 DOWN")
  void noBus(@TempDir Path dir) {
    vertx = Vertx.vertx();
    Path missing = dir.resolve("no-bus-here");
    assertThat(Files.exists(missing)).isFalse();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("pzserver", "pzserver.service", "PZ", "game", Permission.RESTART, true),
        new ServiceDefinition("backup", "backup.service", "Backup", "nightly", Permission.START, false)));
    AppConfig config = new AppConfig("127.0.0.1", 0, "unix:path=" + missing, dir.resolve("none.yaml"),
        dir.resolve("history.jsonl"));
    TestConfigs.writeUsers(config.auth().usersFile());
    Application app = Application.deploy(vertx, config, services).await();
    WebClient http = TestConfigs.client(vertx);

    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonObject first = ws.awaitType("snapshot", Duration.ofSeconds(5));
      assertThat(first.getJsonArray("services")).hasSize(2);
      JsonObject pz = "error".equals(first.getJsonArray("services").getJsonObject(0).getString("status"))
          ? first.getJsonArray("services").getJsonObject(0)
          : ws.awaitStatus("pzserver", "error", Duration.ofSeconds(5)).getJsonObject("service");
      assertThat(pz.getString("status")).isEqualTo("error");
    }
    var services0 = http.get(app.httpPort(), "127.0.0.1", "/api/services").send().await().bodyAsJsonObject()
        .getJsonArray("services");
    assertThat(services0.getJsonObject(1).getValue("status")).isNull();

    var health = http.get(app.httpPort(), "127.0.0.1", "/api/health").send().await();
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("status", "DOWN").put("dbus", "disconnected"));
  }
}
