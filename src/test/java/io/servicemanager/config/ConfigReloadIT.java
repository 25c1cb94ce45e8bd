package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Editing services.yaml under a running manager: valid edits apply live, invalid ones change nothing. */
class ConfigReloadIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ONE = TestConfigs.SLEEPER_YAML;
  private static final String TWO = TestConfigs.SLEEPER_AND_EXITS_YAML;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service");

  @TempDir Path dir;
  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static JsonArray names(JsonObject snapshot) {
    return new JsonArray(snapshot.getJsonArray("services").stream()
        .map(v -> ((JsonObject) v).getString("name")).toList());
  }

  @Test
  @DisplayName("A valid edit sends every client a new snapshot; an invalid one shows its errors and keeps the last good services")
  void reload() throws Exception {
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    Path services = Files.writeString(dir.resolve("services.yaml"), ONE);
    Application app = startFromFiles();

    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      assertThat(names(ws.awaitType("snapshot", WAIT))).containsExactly("sleeper");

      Files.writeString(services, TWO);
      JsonObject second = ws.awaitType("snapshot", WAIT);
      assertThat(names(second)).containsExactly("sleeper", "exits-one");
      JsonObject exits = second.getJsonArray("services").getJsonObject(1);
      assertThat(exits.getJsonArray("allowed_actions")).containsExactly("restart");
      assertThat(exits.getString("status")).isIn("inactive", "failed");

      Files.writeString(services, TWO.replace("permissions_required: restart", "permissions_required: restrat"));
      JsonObject errors = ws.awaitType("config_error", WAIT);
      assertThat(errors.getJsonArray("errors")).singleElement().asString()
          .contains("services.exits-one.permissions_required: must be one of restart, start, stop, all (got \"restrat\")");

      // The last good configuration stays in force: restart is still the only action, for REST too.
      var answer = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
          new JsonObject().put("service", "exits-one").put("action", "stop").put("identity", TestConfigs.operatorIdentity())).await().body();
      assertThat(answer.getString("code")).isEqualTo("forbidden");

      // A client that connects now still learns the reload was refused.
      try (WsClient late = WsClient.connect(vertx, app.httpPort())) {
        assertThat(names(late.awaitType("snapshot", WAIT))).containsExactly("sleeper", "exits-one");
        assertThat(late.awaitType("config_error", WAIT).getJsonArray("errors")).hasSize(1);
      }

      Files.writeString(services, ONE);
      assertThat(names(ws.awaitType("snapshot", WAIT))).containsExactly("sleeper");
      var gone = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
          new JsonObject().put("service", "exits-one").put("action", "restart").put("identity", TestConfigs.operatorIdentity())).await().body();
      assertThat(gone.getString("code")).isEqualTo("unknown_service");
    }
  }

  @Test
  @DisplayName("A services.yaml from a newer release is refused on reload like any invalid file: the clear error, the last good services stay")
  void newerVersionOnReload() throws Exception {
    Path services = Files.writeString(dir.resolve("services.yaml"), TWO);
    Application app = startFromFiles();

    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      assertThat(names(ws.awaitType("snapshot", WAIT))).containsExactly("sleeper", "exits-one");

      // A newer release's file: fewer services and a key this release cannot know. Nothing of it may apply.
      Files.writeString(services, "version: 2\n" + ONE.replace("status_check_allowed: true", "status_check_allowed: true\n    hosts: [b]"));
      JsonObject errors = ws.awaitType("config_error", WAIT);
      assertThat(errors.getJsonArray("errors")).singleElement().asString().contains("version: 2 is newer than this Service"
          + " Manager knows (it reads services.yaml up to version 1): the file was written by a newer Service Manager;"
          + " upgrade, or restore a backup");

      var answer = vertx.eventBus().<JsonObject>request(io.servicemanager.Addresses.ACTION,
          new JsonObject().put("service", "exits-one").put("action", "stop").put("identity", TestConfigs.operatorIdentity())).await().body();
      assertThat(answer.getString("code")).as("exits-one is still configured, at its last good level").isEqualTo("forbidden");
      try (WsClient late = WsClient.connect(vertx, app.httpPort())) {
        assertThat(names(late.awaitType("snapshot", WAIT))).containsExactly("sleeper", "exits-one");
      }
    }
  }

  /** Writes config.yaml and users.yaml beside the services.yaml already in dir and starts from the files, as deployed. */
  private Application startFromFiles() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "systemd:\n  bus: \"" + systemd.busAddress() + "\"\nhttp:\n  port: 0\n"
        + "history_file: history.jsonl\ninsight:\n  database: insight.db\nconfig_history:\n  dir: config-history\nauth:\n  secret_file: secret.key\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    vertx = Vertx.vertx();
    var loaded = ConfigLoader.load(vertx, dir.resolve("config.yaml")).await();
    return Application.deploy(vertx, loaded.app(), loaded.services()).await();
  }
}
