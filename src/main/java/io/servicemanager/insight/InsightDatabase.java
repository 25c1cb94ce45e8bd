package io.servicemanager.insight;

import io.servicemanager.insight.Schema.Migration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite file behind insight (DESIGN §3), opened in WAL mode and migrated to {@link Schema}.
 * Blocking: open it and use its connections on worker threads only ({@link InsightStore} does).
 *
 * <p>{@code synchronous=FULL}: every commit fsyncs the write-ahead log, so an operation whose append
 * completed survives a power loss, like the history file it replaces. NORMAL would survive kill -9
 * but not a power loss; only transition batches, which nobody is told are recorded, commit that way
 * ({@link InsightStore#writeUnsynced}), and the next operation's fsync covers them too.
 *
 * <p>Opening never writes to a file it cannot read as an insight database: the checks (an SQLite
 * file, not damaged, not locked, a schema this code knows) come before WAL mode or a migration.
 */
public final class InsightDatabase implements AutoCloseable {
  static final int DEFAULT_BUSY_TIMEOUT_MS = 5_000;

  private final Path file;
  private final Connection connection;
  private final int busyTimeoutMs;

  private InsightDatabase(Path file, Connection connection, int busyTimeoutMs) {
    this.file = file;
    this.connection = connection;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /** Opens (creating it and its folder when missing) and migrates the database at {@code file}. */
  public static InsightDatabase open(Path file) throws InsightDatabaseException {
    return open(file, Schema.MIGRATIONS, DEFAULT_BUSY_TIMEOUT_MS);
  }

  static InsightDatabase open(Path file, List<Migration> migrations, int busyTimeoutMs)
      throws InsightDatabaseException {
    Path path = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new InsightDatabaseException("cannot create the folder of the insight database " + path + ": " + e, e);
    }
    Connection connection = connect(path, busyTimeoutMs, false, "open");
    try {
      int version = checked(connection, path);
      if (version > migrations.size()) {
        throw new InsightDatabaseException("the insight database " + path + " has schema version " + version
            + ", newer than this Service Manager knows (" + migrations.size() + "); run a newer release or"
            + " restore a backup");
      }
      execute(connection, "PRAGMA journal_mode=WAL", path, "switch to WAL mode");
      execute(connection, "PRAGMA synchronous=FULL", path, "set synchronous=FULL");
      migrate(connection, path, version, migrations);
      return new InsightDatabase(path, connection, busyTimeoutMs);
    } catch (InsightDatabaseException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  /** The connection that writes; used by one thread at a time. */
  Connection connection() {
    return connection;
  }

  /** A second, read-only connection: in WAL mode it reads while the writer writes. */
  Connection openReader() throws InsightDatabaseException {
    return connect(file, busyTimeoutMs, true, "open a reader on");
  }

  int version() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.getInt(1);
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static Connection connect(Path path, int busyTimeoutMs, boolean readOnly, String verb)
      throws InsightDatabaseException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(busyTimeoutMs);
    config.setReadOnly(readOnly);
    try {
      return config.createConnection("jdbc:sqlite:" + path);
    } catch (SQLException e) {
      throw unusable(path, verb, e);
    }
  }

  /** Reads the version and checks the file's pages; neither writes. */
  private static int checked(Connection connection, Path path) throws InsightDatabaseException {
    int version;
    try (Statement s = connection.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.getInt(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        String verdict = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(verdict)) {
          throw new InsightDatabaseException("the insight database " + path + " is damaged (" + verdict
              + "); restore a backup or move the file away");
        }
      }
    } catch (SQLException e) {
      throw unusable(path, "read", e);
    }
    return version;
  }

  /** Runs the migrations after {@code from} in one transaction: all of them, or none. */
  private static void migrate(Connection connection, Path path, int from, List<Migration> migrations)
      throws InsightDatabaseException {
    if (from == migrations.size()) {
      return;
    }
    execute(connection, "BEGIN IMMEDIATE", path, "start the schema migration of");
    int step = from;
    try (Statement s = connection.createStatement()) {
      for (; step < migrations.size(); step++) {
        for (String sql : migrations.get(step).statements()) {
          s.execute(sql);
        }
      }
      s.execute("PRAGMA user_version = " + migrations.size());
      s.execute("COMMIT");
    } catch (SQLException e) {
      try (Statement s = connection.createStatement()) {
        s.execute("ROLLBACK");
      } catch (SQLException ignored) {
        // The failure below is what matters; SQLite rolls back on close anyway.
      }
      throw new InsightDatabaseException("cannot migrate the insight database " + path + " to schema version "
          + (step + 1) + " (" + migrations.get(step).description() + "): " + e.getMessage()
          + "; the database was left at version " + from, e);
    }
  }

  private static void execute(Connection connection, String sql, Path path, String verb)
      throws InsightDatabaseException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw unusable(path, verb, e);
    }
  }

  /** SQLite's reason in words a person at the console can act on. */
  static InsightDatabaseException unusable(Path path, String verb, SQLException e) {
    String why = e.getMessage();
    if (e instanceof SQLiteException sqlite) {
      int primary = sqlite.getResultCode().code & 0xff;
      if (primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
        why = "it is not an SQLite database; move it away or point insight.database elsewhere";
      } else if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code) {
        why = "it is damaged; restore a backup or move the file away";
      } else if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
        why = "it is locked by another process (is another Service Manager running on it?)";
      } else if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code || primary == SQLiteErrorCode.SQLITE_PERM.code
          || primary == SQLiteErrorCode.SQLITE_READONLY.code) {
        why = "it cannot be opened for writing (permissions, or a read-only file system)";
      }
    }
    return new InsightDatabaseException("cannot " + verb + " the insight database " + path + ": " + why, e);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing after a failure or at shutdown: nothing left to protect.
    }
  }
}
