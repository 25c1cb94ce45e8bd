package io.servicemanager;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.ConfigWatcherVerticle;
import io.servicemanager.confighistory.ConfigHistoryVerticle;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code discover --merge} against a real systemd user manager with a configured unit, units not
 * configured yet and system-like ones; {@code --write} applied by the real services watcher and
 * recorded by the configuration history, as in a running manager.
 */
class DiscoverMergeIT {
  private static final String SLEEP = "[Service]\nExecStart=/bin/sleep 400\n";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("pzserver.service", "[Unit]\nDescription=Project Zomboid\n" + SLEEP)
      .withUnit("pz-backup.service", "[Unit]\nDescription=Nightly \"PZ\" backup: saves\n" + SLEEP)
      .withUnit("minecraft.service", "[Unit]\nDescription=Minecraft\n" + SLEEP)
      .withUnit("systemd-lookalike.service", "[Unit]\nDescription=Looks like systemd's own\n" + SLEEP);

  /** The administrator's file: comments and layout that must survive byte for byte. */
  private static final String SERVICES = """
      # Game servers for the group. Keep this comment.
      services:
        pzserver:   # the one everybody plays
          display_name: 'PZ'
          description: "Project Zomboid dedicated game server"
          permissions_required: all
          status_check_allowed: true
      """;

  @TempDir Path dir;
  private Path config;
  private Path services;
  private Vertx vertx;
  private final BlockingQueue<JsonObject> catalogues = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();

  @BeforeEach
  void files() throws Exception {
    services = Files.writeString(dir.resolve("services.yaml"), SERVICES);
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    config = Files.writeString(dir.resolve("config.yaml"), "systemd:\n  bus: \"" + systemd.busAddress() + "\"\n"
        + "config_history:\n  dir: history\n");
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private CommandLineIT.Run discover(String... more) throws Exception {
    String[] args = Stream.concat(Stream.of("discover", "--config", config.toString()), Stream.of(more)).toArray(String[]::new);
    return CommandLineIT.run(args);
  }

  @Test
  @DisplayName("discover --merge prints the summary and the diff of the units not configured yet, systemd's own left out, and writes nothing")
  void mergePrintsOnly() throws Exception {
    CommandLineIT.Run r = discover("--merge", services.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains(": services: +").contains("+minecraft (restart)").contains("+pz-backup (restart)")
        .contains("--- a/services.yaml").contains("+  \"pz-backup\":")
        .contains("+    display_name: \"Nightly \\\"PZ\\\" backup: saves\"")
        .doesNotContain("lookalike").doesNotContain("+dbus ").doesNotContain("+  \"pzserver\"")
        .contains("Nothing was written: add --write to apply it.");
    assertThat(Files.readString(services)).isEqualTo(SERVICES);
  }

  @Test
  @DisplayName("--include-system offers systemd's own units too, the sandbox's dbus.service among them")
  void includeSystem() throws Exception {
    CommandLineIT.Run r = discover("--merge", services.toString(), "--include-system");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("+systemd-lookalike (restart)").contains("+dbus (restart)");
  }

  @Test
  @DisplayName("discover --merge --write with a pattern and a level: the file keeps its text and gains the entries, the watcher applies it, the history records it, and the polkit reminder is printed")
  void writeThroughTheWatcher() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> catalogues.add(m.body())).completion().await();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
    vertx.deployVerticle(new ConfigHistoryVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("dir", dir.resolve("history").toString()).put("config_file", config.toString())
        .put("services_file", services.toString()).put("users_file", dir.resolve("users.yaml").toString()))).await();
    vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("services_file", services.toString()).put("scan_period_ms", 50))).await();
    assertThat(versions.poll(30, SECONDS)).as("the version at start").isNotNull();

    // The default FILE is config.yaml's services_file.
    CommandLineIT.Run r = discover("--merge", "--pattern", "pz*", "--level", "start", "--write");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("services: +pz-backup (start)").doesNotContain("minecraft")
        .contains("Wrote " + services)
        .contains("service-manager polkit-rules --user service-manager --config " + config
            + " > /etc/polkit-1/rules.d/50-service-manager.rules");
    String written = Files.readString(services);
    assertThat(written).startsWith(SERVICES).hasSizeGreaterThan(SERVICES.length());
    JsonObject applied = catalogues.poll(30, SECONDS);
    assertThat(applied).as("the watcher applied the file").isNotNull();
    assertThat(applied.getJsonObject("services").fieldNames()).containsExactlyInAnyOrder("pzserver", "pz-backup");
    assertThat(applied.getJsonObject("services").getJsonObject("pz-backup").getString("permissions_required")).isEqualTo("start");
    JsonObject version = versions.poll(30, SECONDS);
    assertThat(version).as("recorded as a version").isNotNull();
    assertThat(version.getString("message")).isEqualTo("services: +pz-backup (start)");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left").noneMatch(n -> n.startsWith("."));
    }

    CommandLineIT.Run again = discover("--merge", "--pattern", "pz*", "--write");
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("Nothing to add");
    assertThat(Files.readString(services)).isEqualTo(written);
  }

  @Test
  @DisplayName("Bad input — an unknown level, a bad pattern, an invalid file — exits 2 with every error and writes nothing")
  void badInput() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "services:\n  pz:\n    display_name: PZ\n");
    CommandLineIT.Run r = discover("--merge", broken.toString(), "--level", "sudo", "--pattern", "pz[", "--write");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--level sudo: not a level").contains("--pattern pz[: not a pattern")
        .contains("services.pz").contains("nothing was written");
    assertThat(Files.readString(broken)).isEqualTo("services:\n  pz:\n    display_name: PZ\n");

    CommandLineIT.Run missing = discover("--merge", dir.resolve("absent.yaml").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.yaml");
    assertThat(discover("--write").status()).as("--write without --merge").isEqualTo(2);
    assertThat(Files.readString(services)).isEqualTo(SERVICES);
  }
}
