package io.servicemanager.insight;

import io.servicemanager.action.OperationLog;
import io.servicemanager.insight.OperationQuery.Cursor;
import io.servicemanager.insight.OperationQuery.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations in the insight database: what the action verticle records ({@link #append}, the
 * answer waits for the commit) and what {@code GET /api/history} reads ({@link #query}).
 */
public final class OperationStore implements OperationLog {
  private static final String INSERT =
      "INSERT OR IGNORE INTO operations (" + OperationRow.COLUMNS + ", import_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final InsightStore store;
  /** The INSERT compiled once for the writer connection; touched on the store's writer thread only. */
  private PreparedStatement appendInsert;
  private Connection appendConnection;

  public OperationStore(InsightStore store) {
    this.store = store;
  }

  /**
   * Writes one {@link io.servicemanager.action.OperationRecord}; the future completes once it is
   * committed and on disk. A record missing a field fails at once, naming the field, and writes nothing.
   */
  @Override
  public Future<Void> append(JsonObject record) {
    OperationRow row;
    try {
      row = OperationRow.of(record);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("not an operation record: " + e.getMessage(), e));
    }
    return store.write(c -> {
      appendRow(c, row);
      return null;
    });
  }

  /**
   * Writes the records of one job's callers in one transaction: one fsync makes them all durable,
   * and either all are recorded or none. A record missing a field fails the whole call, writing nothing.
   */
  @Override
  public Future<Void> appendAll(List<JsonObject> records) {
    List<OperationRow> rows = new ArrayList<>(records.size());
    for (JsonObject record : records) {
      try {
        rows.add(OperationRow.of(record));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new IllegalArgumentException("not an operation record: " + e.getMessage(), e));
      }
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.write(c -> {
      for (OperationRow row : rows) {
        appendRow(c, row);
      }
      return null;
    });
  }

  /**
   * An answered action waits for this insert: the statement is compiled once, not per record. A
   * failed execution discards it, so the next record starts from a fresh one.
   */
  private void appendRow(Connection c, OperationRow row) throws SQLException {
    if (appendInsert == null || appendConnection != c || appendInsert.isClosed()) {
      appendInsert = c.prepareStatement(INSERT);
      appendConnection = c;
    }
    try {
      row.bind(appendInsert, 1);
      appendInsert.setString(11, null);
      appendInsert.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      PreparedStatement broken = appendInsert;
      appendInsert = null;
      try {
        broken.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Newest first, as {@code query} says; the page's {@code next} continues where it ends. */
  public Future<Page> query(OperationQuery query) {
    if (query.visible() != null && (query.visible().isEmpty()
        || (query.service() != null && !query.visible().contains(query.service())))) {
      return Future.succeededFuture(new Page(List.of(), null)); // nothing this caller may see
    }
    return store.read(c -> select(c, query));
  }

  /** Inserts a row; false when a row with the same {@code importKey} is already there. */
  static boolean insert(Connection c, OperationRow row, String importKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      row.bind(s, 1);
      s.setString(11, importKey);
      return s.executeUpdate() == 1;
    }
  }

  /** Whether a record with this import key is in the table already. */
  static boolean hasImportKey(Connection c, String importKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM operations WHERE import_key = ?")) {
      s.setString(1, importKey);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Page select(Connection c, OperationQuery query) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT id, " + OperationRow.COLUMNS + " FROM operations WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (query.service() != null) {
      sql.append(" AND service = ?");
      params.add(query.service());
    } else if (query.visible() != null) {
      sql.append(" AND service IN (").append("?, ".repeat(query.visible().size() - 1)).append("?)");
      params.addAll(query.visible());
    }
    if (query.user() != null) {
      sql.append(" AND user = ?");
      params.add(query.user());
    }
    Cursor before = query.before();
    if (before != null) {
      sql.append(" AND (at < ? OR (at = ? AND id < ?))");
      params.add(before.at());
      params.add(before.at());
      params.add(before.id());
    }
    // One row more than asked tells whether another page follows.
    sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
    params.add(query.limit() + 1);
    List<JsonObject> entries = new ArrayList<>();
    Cursor last = null;
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        s.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (entries.size() == query.limit()) {
            return new Page(entries, last.token());
          }
          OperationRow row = OperationRow.read(rs, 2);
          entries.add(row.toJson());
          last = new Cursor(row.at(), rs.getLong(1));
        }
        return new Page(entries, null);
      }
    }
  }
}
