package io.servicemanager.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.testing.LogCapture;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager started from config.yaml on a real systemd keeps its operations in the insight
 * database: an old history file comes in once, however often it starts, and actions land beside it.
 */
class InsightStartIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("quick.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  @TempDir Path dir;
  private Path config;
  private Vertx vertx;

  static String line(String at, String action, String user) {
    return new JsonObject().put("at", at).put("service", "quick").put("unit", "quick.service").put("action", action)
        .put("user", user).put("result", "done").put("systemd_result", "success").put("exit_status", 0)
        .put("duration_ms", 12).put("message", action + " done").encode() + "\n";
  }

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "services:\n  quick:\n    display_name: Quick\n"
        + "    description: oneshot\n    permissions_required: all\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    config = Files.writeString(dir.resolve("config.yaml"), "systemd:\n  bus: \"" + systemd.busAddress()
        + "\"\nhttp:\n  port: 0\nhistory_file: data/history.jsonl\ninsight:\n  database: data/servicemanager.db\n"
        + "config_history:\n  dir: data/versions\nauth:\n  secret_file: data/secret.key\n");
    Path data = Files.createDirectories(dir.resolve("data"));
    // Two rotated files and the current one, as the JSON Lines store left them (.2 the oldest),
    // with a line a crash tore at the end of the current one.
    Files.writeString(data.resolve("history.jsonl.2"), line("2026-11-20T08:00:00Z", "start", "alice"));
    Files.writeString(data.resolve("history.jsonl.1"), line("2026-11-21T08:00:00Z", "stop", "bob"));
    Files.writeString(data.resolve("history.jsonl"), line("2026-11-22T08:00:00Z", "restart", "alice")
        + "{\"at\":\"2026-11-22T09:");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Application start() {
    var loaded = ConfigLoader.load(vertx, config).await();
    return Application.deploy(vertx, loaded.app(), loaded.services()).await();
  }

  private JsonArray history(Application app, String query) {
    var response = TestConfigs.client(vertx).get(app.httpPort(), "127.0.0.1", "/api/history" + query).send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("entries");
  }

  private static List<String> actions(JsonArray entries) {
    return entries.stream().map(JsonObject.class::cast).map(e -> e.getString("action")).toList();
  }

  @Test
  @DisplayName("An old history file and its rotated files are imported at the first start only, and logged; later actions are listed before them")
  void importsOnceThenRecords() throws Exception {
    Application first;
    try (LogCapture log = LogCapture.start()) {
      first = start();
      assertThat(log.lines()).anyMatch(m -> m.contains("history import from " + dir.resolve("data/history.jsonl"))
          && m.contains("3 file(s), 4 line(s): 3 imported, 0 already in") && m.contains("1 torn line(s) skipped"));
    }
    assertThat(actions(history(first, ""))).containsExactly("restart", "stop", "start");
    assertThat(history(first, "?limit=1").getJsonObject(0)).isEqualTo(new JsonObject(line("2026-11-22T08:00:00Z", "restart", "alice"))
        .put("at", "2026-11-22T08:00:00.000Z"));

    var done = TestConfigs.client(vertx).post(first.httpPort(), "127.0.0.1", "/api/services/quick/start").send().await();
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    vertx.close().await();

    // Started again on the same files: nothing comes in twice, the action recorded stays.
    vertx = Vertx.vertx();
    Application second;
    try (LogCapture log = LogCapture.start()) {
      second = start();
      assertThat(log.lines()).anyMatch(m -> m.contains("0 imported, 3 already in"));
    }
    JsonArray entries = history(second, "?service=quick");
    assertThat(actions(entries)).containsExactly("start", "restart", "stop", "start");
    assertThat(entries.getJsonObject(0).getString("user")).isEqualTo(TestConfigs.OPERATOR);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/servicemanager.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(imported) FROM imports")) {
      assertThat(rs.getInt(1)).as("two runs of three files each").isEqualTo(6);
      assertThat(rs.getInt(2)).as("imported in all").isEqualTo(3);
    }
  }

  @Test
  @DisplayName("The database is in WAL mode where insight.database says, and the manager closes it when Vert.x closes")
  void walAndClosed() throws Exception {
    Application app = start();
    assertThat(app.insight().file()).isEqualTo(dir.resolve("data/servicemanager.db"));
    assertThat(dir.resolve("data/servicemanager.db-wal")).as("WAL while open").exists();
    vertx.close().await();
    assertThat(app.insight().read(c -> 1).failed()).as("closed with Vert.x").isTrue();
    // SQLite checkpoints and removes the log when its last connection closes.
    assertThat(dir.resolve("data/servicemanager.db-wal")).as("every connection closed").doesNotExist();
    vertx = Vertx.vertx();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/servicemanager.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }
}
