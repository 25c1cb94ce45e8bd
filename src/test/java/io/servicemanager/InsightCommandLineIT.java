package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.CommandLineIT.Run;
import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.OperationStore;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The insight database as the command line meets it: a separate JVM, its exit status and what it prints. */
class InsightCommandLineIT {
  @TempDir Path dir;
  Path config;
  Path database;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("services.yaml"), "services:\n  pz:\n    display_name: PZ\n    description: d\n"
        + "    permissions_required: restart\n    status_check_allowed: true\n");
    TestConfigs.writeUsers(dir.resolve("users.yaml"));
    database = dir.resolve("data/servicemanager.db");
    // No systemd is reached: the database is opened before anything talks to the bus.
    config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nsystemd:\n  bus: \"unix:path="
        + dir.resolve("no-bus") + "\"\nhistory_file: data/history.jsonl\ninsight:\n  database: data/servicemanager.db\n"
        + "config_history:\n  dir: data/versions\nauth:\n  secret_file: data/secret.key\n");
    Files.createDirectories(database.getParent());
  }

  /** {@link CommandLineIT#run}, but a JVM that has not ended in time is killed, never left behind. */
  static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
      return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject record(String service, String at, String action) {
    return new JsonObject().put("at", at).put("service", service).put("unit", service + ".service")
        .put("action", action).put("user", "alice").put("result", "done").put("systemd_result", "success")
        .put("exit_status", 0).put("duration_ms", 5).put("message", action + " done");
  }

  @Test
  @DisplayName("A file at insight.database that is no database stops start-up with exit status 2, says why, and is left as it was")
  void corruptDatabaseExitsTwo() throws Exception {
    byte[] garbage = "this is not an SQLite database, but someone's data\n".repeat(200).getBytes();
    Files.write(database, garbage);
    Run r = run("--config", config.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("the insight database " + database).contains("not an SQLite database");
    assertThat(Files.readAllBytes(database)).as("the file is untouched").isEqualTo(garbage);
    assertThat(database.resolveSibling("servicemanager.db-wal")).doesNotExist();
  }

  @Test
  @DisplayName("A database written by a newer Service Manager stops start-up with exit status 2 and is not migrated")
  void newerDatabaseExitsTwo() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    Run r = run("--config", config.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("schema version 99, newer than this Service Manager knows");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      assertThat(rs.getInt(1)).isEqualTo(99);
    }
  }

  @Test
  @DisplayName("A database another process holds locked stops start-up with exit status 2 and says it is locked")
  void lockedDatabaseExitsTwo() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      InsightStore.open(vertx, database).await().close().await(); // a current database in WAL mode
    } finally {
      vertx.close().await();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      Run r = run("--config", config.toString());
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("the insight database " + database).contains("locked by another process");
      s.execute("ROLLBACK");
    }
  }

  @Test
  @DisplayName("history export prints the records as JSON Lines, oldest first, of one service and from a time on")
  void export() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      InsightStore store = InsightStore.open(vertx, database).await();
      OperationStore operations = new OperationStore(store);
      operations.appendAll(List.of(record("pz", "2026-11-20T08:00:00Z", "start"), record("other", "2026-11-21T08:00:00Z", "stop"),
          record("pz", "2026-11-22T08:00:00Z", "restart"), record("pz", "2026-11-23T08:00:00Z", "stop"))).await();
      store.close().await();
    } finally {
      vertx.close().await();
    }

    Run all = run("history", "export", "--config", config.toString());
    assertThat(all.status()).as(all.err()).isZero();
    assertThat(all.out().lines().map(JsonObject::new).map(o -> o.getString("service") + " " + o.getString("action")))
        .containsExactly("pz start", "other stop", "pz restart", "pz stop");

    Run some = run("history", "export", "--config", config.toString(), "--service", "pz", "--since", "2026-11-21");
    assertThat(some.status()).as(some.err()).isZero();
    List<JsonObject> lines = some.out().lines().map(JsonObject::new).toList();
    assertThat(lines).extracting(o -> o.getString("action")).containsExactly("restart", "stop");
    assertThat(lines.get(0)).isEqualTo(new JsonObject().put("type", "operation")
        .mergeIn(record("pz", "2026-11-22T08:00:00.000Z", "restart")));
    assertThat(lines.get(0).fieldNames().iterator().next()).as("type first").isEqualTo("type");

    Run instant = run("history", "export", "--config", config.toString(), "--since", "2026-11-22T08:00:00Z");
    assertThat(instant.out().lines()).hasSize(2);
  }

  @Test
  @DisplayName("history export refuses a bad --since, or a missing database, with exit status 2 and a clear message, creating nothing")
  void exportRefusesBadInput() throws Exception {
    Run bad = run("history", "export", "--config", config.toString(), "--since", "last tuesday");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--since: not an ISO-8601 time").contains("\"last tuesday\"");
    assertThat(bad.out()).isEmpty();

    Run missing = run("history", "export", "--config", config.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("no insight database at " + database);
    assertThat(database).doesNotExist();
  }
}
