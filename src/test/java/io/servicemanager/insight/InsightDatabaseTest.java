package io.servicemanager.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.insight.Schema.Migration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsightDatabaseTest {
  @TempDir
  Path dir;

  private static String single(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static List<String> column(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  @DisplayName("A new database is created with its folder, in WAL mode with synchronous=FULL, at the latest schema version")
  void createsNew() throws Exception {
    Path file = dir.resolve("data/servicemanager.db");
    try (InsightDatabase db = InsightDatabase.open(file)) {
      assertThat(file).exists();
      assertThat(db.version()).isEqualTo(Schema.latest());
      assertThat(single(db.connection(), "PRAGMA journal_mode")).isEqualTo("wal");
      assertThat(single(db.connection(), "PRAGMA synchronous")).isEqualTo("2"); // FULL
      assertThat(column(db.connection(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
          .containsExactly("gaps", "imports", "operations", "transitions");
      assertThat(column(db.connection(), "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
          .contains("operations_service_at", "operations_user_at", "transitions_service_at", "gaps_start");
    }
  }

  @Test
  @DisplayName("Opening again keeps the rows and runs no migration twice")
  void reopenKeepsData() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    try (InsightDatabase db = InsightDatabase.open(file); Statement s = db.connection().createStatement()) {
      s.execute("INSERT INTO gaps (start_at, end_at, kind) VALUES (1, 2, 'stopped')");
    }
    try (InsightDatabase db = InsightDatabase.open(file)) {
      assertThat(single(db.connection(), "SELECT count(*) FROM gaps")).isEqualTo("1");
      assertThat(db.version()).isEqualTo(Schema.latest());
    }
  }

  @Test
  @DisplayName("An older database is migrated step by step to the version the code knows")
  void migratesOlder() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    Migration first = new Migration("one", List.of("CREATE TABLE a (x INTEGER)"));
    Migration second = new Migration("two", List.of("ALTER TABLE a ADD COLUMN y TEXT", "INSERT INTO a VALUES (1, 'y')"));
    InsightDatabase.open(file, List.of(first), 1000).close();
    try (InsightDatabase db = InsightDatabase.open(file, List.of(first, second), 1000)) {
      assertThat(db.version()).isEqualTo(2);
      assertThat(single(db.connection(), "SELECT y FROM a")).isEqualTo("y");
    }
  }

  @Test
  @DisplayName("A migration that fails leaves the database at its old version with none of that run's changes")
  void failedMigrationRollsBack() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    Migration first = new Migration("one", List.of("CREATE TABLE a (x INTEGER)"));
    Migration second = new Migration("two", List.of("CREATE TABLE b (x INTEGER)"));
    Migration broken = new Migration("broken", List.of("CREATE TABLE c (x INTEGER)", "THIS IS NOT SQL"));
    InsightDatabase.open(file, List.of(first), 1000).close();
    assertThatThrownBy(() -> InsightDatabase.open(file, List.of(first, second, broken), 1000))
        .isInstanceOf(InsightDatabaseException.class)
        .hasMessageContaining("schema version 3 (broken)")
        .hasMessageContaining("left at version 1");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(single(c, "PRAGMA user_version")).isEqualTo("1");
      assertThat(column(c, "SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly("a");
    }
  }

  @Test
  @DisplayName("A database of a newer schema version is refused, naming both versions, and left unchanged")
  void refusesNewer() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    InsightDatabase.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = " + (Schema.latest() + 1));
    }
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> InsightDatabase.open(file))
        .isInstanceOf(InsightDatabaseException.class)
        .hasMessageContaining("schema version " + (Schema.latest() + 1))
        .hasMessageContaining("newer than this Service Manager knows (" + Schema.latest() + ")");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  @DisplayName("A file of garbage bytes is refused as not a database, and not a byte of it changes")
  void refusesGarbage() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    byte[] garbage = new byte[8192];
    new Random(42).nextBytes(garbage);
    Files.write(file, garbage);
    assertThatThrownBy(() -> InsightDatabase.open(file))
        .isInstanceOf(InsightDatabaseException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not an SQLite database");
    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    assertThat(dir.resolve("servicemanager.db-wal")).doesNotExist();
  }

  @Test
  @DisplayName("A short text file is refused as not a database, and left as it was")
  void refusesText() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    byte[] text = "this is my shopping list, not a database\n".repeat(5).getBytes(StandardCharsets.UTF_8);
    Files.write(file, text);
    assertThatThrownBy(() -> InsightDatabase.open(file))
        .isInstanceOf(InsightDatabaseException.class)
        .hasMessageContaining("not an SQLite database");
    assertThat(Files.readAllBytes(file)).isEqualTo(text);
  }

  @Test
  @DisplayName("A database with a damaged page is refused as damaged, not recreated")
  void refusesDamaged() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    try (InsightDatabase db = InsightDatabase.open(file); Statement s = db.connection().createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    byte[] bytes = Files.readAllBytes(file);
    int pageSize = 4096;
    assertThat(bytes.length).isGreaterThan(2 * pageSize);
    for (int i = pageSize; i < 2 * pageSize; i++) {
      bytes[i] = (byte) 0xA5; // the second page: the first table's root
    }
    Files.write(file, bytes);
    assertThatThrownBy(() -> InsightDatabase.open(file))
        .isInstanceOf(InsightDatabaseException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("damaged");
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }

  @Test
  @DisplayName("A database another process holds locked is refused with a clear reason once the busy timeout passes")
  void refusesLocked() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = holder.createStatement()) {
      s.execute("CREATE TABLE other (x INTEGER)");
      s.execute("BEGIN EXCLUSIVE");
      s.execute("INSERT INTO other VALUES (1)");
      assertThatThrownBy(() -> InsightDatabase.open(file, Schema.MIGRATIONS, 200))
          .isInstanceOf(InsightDatabaseException.class)
          .hasMessageContaining("locked by another process");
      s.execute("ROLLBACK");
    }
  }
}
