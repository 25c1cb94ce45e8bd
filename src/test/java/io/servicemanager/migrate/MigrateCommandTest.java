package io.servicemanager.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Main;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.status.ServiceView;
import io.servicemanager.testing.CommandRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code service-manager migrate} end to end on real files in a temporary folder: what it prints, exits with and writes. */
class MigrateCommandTest {
  private static final String ORIGINAL = """
      # Service Manager Configuration
      services:
        sample-service:
          display_name: "Sample HTTP Service"
          description: "Simple HTTP server for demonstration purposes"
          permissions_required: "all"
          status_check_allowed: true
          icon: server
      """;
  private static final String TODAY = "services:\n  pzserver:\n    display_name: PZ\n    description: d\n"
      + "    permissions_required: restart\n    status_check_allowed: true\n";


  @TempDir Path dir;
  Path config;

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    config = Files.writeString(dir.resolve("conf/config.yaml"), "history_file: ../data/history.jsonl\n");
  }

  private CommandRun migrate(String... args) {
    List<String> all = new ArrayList<>(List.of("migrate", "--config", config.toString()));
    all.addAll(List.of(args));
    return CommandRun.of(() -> Main.commandLine().execute(all.toArray(String[]::new)));
  }

  /** Every file under the folder and its bytes, to show that nothing changed. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return files;
  }

  private Path original() throws IOException {
    Files.createDirectories(dir.resolve("config"));
    return Files.writeString(dir.resolve("config/services.yaml"), ORIGINAL);
  }

  @Test
  @DisplayName("The original app's config/services.yaml: --check shows the step, its notes and the diff and exits 1 writing nothing; --write puts a valid file in conf/ and exits 0; then nothing is pending")
  void originalLayout() throws Exception {
    original();
    Map<String, String> before = snapshot();
    CommandRun check = migrate();
    assertThat(check.status()).as(check.err()).isEqualTo(1);
    assertThat(check.out())
        .contains("services.yaml from the original app's layout: " + dir.resolve("config/services.yaml") + " copied to "
            + dir.resolve("conf/services.yaml"))
        .contains("services.sample-service.icon: dropped (not a field of today's services.yaml; the original app ignored it too)")
        .contains("nobody can log in until " + dir.resolve("conf/users.yaml") + " names someone")
        .contains("today's files → migrated: services: +sample-service (all)")
        .contains("+++ b/services.yaml\t(migrated)", "+version: 1", "+    permissions_required: all")
        .contains("service-manager migrate --write --config " + config);
    assertThat(migrate("--check").status()).isEqualTo(1);
    assertThat(snapshot()).as("--check writes nothing").isEqualTo(before);

    CommandRun write = migrate("--write");
    assertThat(write.status()).as(write.err()).isZero();
    assertThat(write.out()).contains("The units changed: generate the polkit rule again")
        .contains("service-manager polkit-rules --user service-manager --config " + config);
    assertThat(Files.readString(dir.resolve("config/services.yaml"))).as("the original is left in place").isEqualTo(ORIGINAL);
    Vertx vertx = Vertx.vertx();
    try {
      var loaded = ConfigLoader.load(vertx, config).await();
      assertThat(loaded.services().find("sample-service")).isPresent();
    } finally {
      vertx.close().await();
    }
    try (Stream<Path> conf = Files.list(dir.resolve("conf"))) {
      assertThat(conf.map(p -> p.getFileName().toString())).as("no temporary file is left")
          .containsExactlyInAnyOrder("config.yaml", "services.yaml");
    }

    CommandRun again = migrate();
    assertThat(again.status()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).startsWith("migrate: nothing to do");
  }

  @Test
  @DisplayName("A migration whose result would not validate is refused with every error, exit 2, and every file stays byte for byte")
  void refusedWhenInvalid() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/services.yaml"), "services:\n  pzserver:\n    description: no name\n"
        + "  worker@:\n    display_name: W\n    description: d\n");
    Map<String, String> before = snapshot();
    for (String mode : new String[] {"--check", "--write"}) {
      CommandRun run = migrate(mode);
      assertThat(run.status()).as(mode).isEqualTo(2);
      assertThat(run.err()).contains("nothing was written")
          .contains("services.pzserver: missing field display_name")
          .contains("services.worker@: not a valid systemd unit name");
      assertThat(snapshot()).as(mode).isEqualTo(before);
    }
  }

  @Test
  @DisplayName("A history.jsonl: --check counts the records not in the database yet and creates no database; --write imports them once")
  void history() throws Exception {
    Files.writeString(dir.resolve("conf/services.yaml"), TODAY);
    Files.createDirectories(dir.resolve("data"));
    Instant at = Instant.now().minusSeconds(3600);
    String line = new JsonObject().put("at", ServiceView.iso(at)).put("service", "pzserver").put("unit", "pzserver.service")
        .put("action", "restart").put("user", "alice").put("result", "done").put("systemd_result", "success")
        .put("exit_status", 0L).put("duration_ms", 12L).put("message", "restart done").encode();
    Files.writeString(dir.resolve("data/history.jsonl"), line + "\n" + line.replace("alice", "bob") + "\n{torn\n");
    Map<String, String> before = snapshot();

    CommandRun check = migrate();
    assertThat(check.status()).as(check.err()).isEqualTo(1);
    assertThat(check.out()).contains("history into the insight database: 2 record(s) from 1 file(s) of "
        + dir.resolve("data/history.jsonl")).contains("1 torn or damaged line(s) will be skipped");
    assertThat(snapshot()).as("no database made, nothing written").isEqualTo(before);

    CommandRun write = migrate("--write");
    assertThat(write.status()).as(write.err()).isZero();
    assertThat(write.out()).doesNotContain("polkit");
    assertThat(dir.resolve("data/servicemanager.db")).exists();
    CommandRun again = migrate("--check");
    assertThat(again.status()).as(again.out()).isZero();
    assertThat(again.out()).contains("holds nothing new for the database");
  }

  @Test
  @DisplayName("Files written by a newer release are refused with the clear error, exit 2, nothing written")
  void newerVersion() throws Exception {
    Files.writeString(dir.resolve("conf/services.yaml"), "version: 2\n" + TODAY);
    Map<String, String> before = snapshot();
    CommandRun services = migrate("--write");
    assertThat(services.status()).isEqualTo(2);
    assertThat(services.err()).contains("services.yaml is " + dir.resolve("conf/services.yaml"))
        .contains("services.yaml as today: version: 2 is newer than this Service Manager knows "
        + "(it reads services.yaml up to version 1): the file was written by a newer Service Manager; upgrade, or restore a backup");
    assertThat(snapshot()).isEqualTo(before);

    Files.writeString(config, "version: 3\ncluster: {}\n");
    CommandRun app = migrate();
    assertThat(app.status()).isEqualTo(2);
    assertThat(app.err()).contains(config + ": version: 3 is newer than this Service Manager knows (it reads config.yaml up to version 1)");
  }

  @Test
  @DisplayName("Bad input exits 2: today's layout with no services file, a services file that is no YAML, --check with --write")
  void badInput() throws Exception {
    CommandRun missing = migrate();
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("services.yaml is " + dir.resolve("conf/services.yaml"))
        .contains("services.yaml as today: file not found");

    Files.writeString(dir.resolve("conf/services.yaml"), "services: [unclosed\n");
    assertThat(migrate().status()).isEqualTo(2);

    Files.writeString(dir.resolve("conf/services.yaml"), TODAY);
    assertThat(migrate().status()).as("a valid configuration: nothing to do").isZero();
    assertThat(migrate("--check", "--write").status()).isEqualTo(2);
  }
}
