package io.servicemanager.confighistory;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The manager as started from config.yaml on a real systemd keeps its configuration history. */
class ConfigHistoryIT {
  private static final String ONE = TestConfigs.SLEEPER_YAML;
  private static final String TWO = TestConfigs.SLEEPER_AND_EXITS_YAML;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service");

  @TempDir Path dir;
  private Vertx vertx;
  private Path config;
  private Path services;
  private final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();

  @BeforeEach
  void files() throws Exception {
    services = Files.writeString(dir.resolve("services.yaml"), ONE);
    config = Files.writeString(dir.resolve("config.yaml"), "systemd:\n  bus: \"" + systemd.busAddress()
        + "\"\nhttp:\n  port: 0\nhistory_file: history.jsonl\ninsight:\n  database: servicemanager.db\n"
        + "config_history:\n  dir: versions\n"
        + "auth:\n  secret_file: secret.key\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void replace(String content) throws Exception {
    Path next = Files.writeString(dir.resolve("services.yaml.new"), content);
    Files.move(next, services, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private String nextVersion() throws InterruptedException {
    JsonObject version = versions.poll(30, SECONDS);
    assertThat(version).as("a new version").isNotNull();
    return version.getString("message");
  }

  @Test
  @DisplayName("The files at start are the first version, each valid edit of services.yaml the next; the invalid one is not kept")
  void keepsAcceptedVersions() throws Exception {
    var loaded = ConfigLoader.load(vertx, config).await();
    Application.deploy(vertx, loaded.app(), loaded.services()).await();
    assertThat(nextVersion()).isEqualTo("first version: 1 service, 1 user, 0 tokens");
    replace(TWO);
    assertThat(nextVersion()).isEqualTo("services: +exits-one (restart)");
    replace(TWO.replace("permissions_required: restart", "permissions_required: restrat"));
    replace(ONE);
    assertThat(nextVersion()).isEqualTo("services: -exits-one");
    try (ConfigRepository history = ConfigRepository.open(dir.resolve("versions"))) {
      assertThat(history.log()).extracting(Version::message).containsExactly("services: -exits-one",
          "services: +exits-one (restart)", "first version: 1 service, 1 user, 0 tokens");
      assertThat(history.files(history.resolve("HEAD~1"))).containsEntry(ConfigFiles.SERVICES, TWO)
          .containsEntry(ConfigFiles.CONFIG, Files.readString(config)).containsKey(ConfigFiles.USERS);
    }
  }

  @Test
  @DisplayName("A damaged history stops start-up with a clear error")
  void damagedHistoryStopsStartUp() throws Exception {
    Path history = Files.createDirectories(dir.resolve("versions"));
    Files.writeString(history.resolve("HEAD"), "garbage\n");
    var loaded = ConfigLoader.load(vertx, config).await();
    assertThatThrownBy(() -> Application.deploy(vertx, loaded.app(), loaded.services()).await())
        .hasMessageContaining("the configuration history at " + history + " is damaged");
  }
}
