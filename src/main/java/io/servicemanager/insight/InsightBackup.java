package io.servicemanager.insight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Copies of the insight database through SQLite's online backup API, never by copying bytes: the
 * copy is one consistent state even while a running manager writes (SQLite restarts a step that a
 * write overtook), and a restore goes through SQLite's locks, so a manager holding the file open
 * sees the restored rows rather than a file swapped under it. Blocking.
 */
public final class InsightBackup {
  private InsightBackup() {}

  /** Writes a consistent copy of {@code database} to {@code copy} (a new file). */
  public static void copy(Path database, Path copy) throws InsightDatabaseException {
    try (Connection connection = connect(database, true)) {
      int rc = connection.unwrap(SQLiteConnection.class).getDatabase().backup("main", copy.toString(), null);
      if (rc != 0) {
        throw failed(database, "copy", rc);
      }
    } catch (SQLException e) {
      throw InsightDatabase.unusable(database, "copy", e);
    }
  }

  /** Replaces the content of {@code database} (made when absent) with that of {@code copy}. */
  public static void restore(Path copy, Path database) throws InsightDatabaseException {
    try (Connection connection = connect(database, false)) {
      int rc = connection.unwrap(SQLiteConnection.class).getDatabase().restore("main", copy.toString(), null);
      if (rc != 0) {
        throw failed(database, "restore", rc);
      }
    } catch (SQLException e) {
      throw InsightDatabase.unusable(database, "restore", e);
    }
  }

  /**
   * What stops {@code file} from serving as the insight database: not a database, damaged
   * ({@code PRAGMA integrity_check}), or a schema newer than this release knows. Empty when usable.
   * Opens it read-only; nothing is written.
   */
  public static List<String> problems(Path file) {
    List<String> problems = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      problems.add("the insight database copy " + file.getFileName() + " is missing");
      return problems;
    }
    try (Connection connection = connect(file, true); Statement s = connection.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        List<String> verdict = new ArrayList<>();
        while (rs.next()) {
          verdict.add(rs.getString(1));
        }
        if (!List.of("ok").equals(verdict)) {
          problems.add("the insight database is damaged (integrity_check: " + String.join("; ", verdict) + ")");
        }
      }
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        int version = rs.getInt(1);
        if (version > Schema.MIGRATIONS.size()) {
          problems.add("the insight database has schema version " + version + ", newer than this Service Manager knows ("
              + Schema.MIGRATIONS.size() + "): restore it with a newer release");
        }
      }
    } catch (SQLException e) {
      problems.add(InsightDatabase.unusable(file, "read", e).getMessage());
    }
    return problems;
  }

  /** SQLite's result code in the words {@link InsightDatabase} uses for it. */
  private static InsightDatabaseException failed(Path database, String verb, int rc) {
    SQLiteErrorCode code = SQLiteErrorCode.getErrorCode(rc);
    return InsightDatabase.unusable(database, verb, new SQLiteException(code.message, code));
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(InsightDatabase.DEFAULT_BUSY_TIMEOUT_MS);
    config.setReadOnly(readOnly);
    return config.createConnection("jdbc:sqlite:" + file);
  }
}
