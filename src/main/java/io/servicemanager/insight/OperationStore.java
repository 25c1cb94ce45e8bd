package io.servicemanager.insight;

import io.servicemanager.action.OperationLog;
import io.servicemanager.insight.OperationQuery.Cursor;
import io.servicemanager.insight.OperationQuery.Page;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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
  /** Appends not yet taken by the writer thread, in the order asked. */
  private final List<Pending> pending = new ArrayList<>();

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
    return enqueue(List.of(row), null);
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
    return enqueue(rows, null);
  }

  /**
   * {@link #appendAll(List)}, with {@code known} told the outcome on the writer thread right after
   * the commit: one thread hand-off sooner than the returned future, which completes after it on the
   * context that asked.
   */
  @Override
  public Future<Void> appendAll(List<JsonObject> records, Handler<AsyncResult<Void>> known) {
    List<OperationRow> rows = new ArrayList<>(records.size());
    for (JsonObject record : records) {
      try {
        rows.add(OperationRow.of(record));
      } catch (IllegalArgumentException e) {
        Future<Void> refused = Future.failedFuture(new IllegalArgumentException("not an operation record: " + e.getMessage(), e));
        known.handle(refused);
        return refused;
      }
    }
    if (rows.isEmpty()) {
      known.handle(Future.succeededFuture());
      return Future.succeededFuture();
    }
    return enqueue(rows, known);
  }

  /**
   * Group commit: appends that wait while the writer thread is busy (several actions ending at once)
   * go in with the next write, one transaction and one fsync for all of them. Each keeps its own
   * verdict: within a group, each append is a savepoint, so a refused one writes nothing of itself
   * and fails alone. {@code known} (may be null) hears the verdict on the writer thread as soon as
   * the commit returns; the future completes after it, on the context that asked.
   */
  private Future<Void> enqueue(List<OperationRow> rows, Handler<AsyncResult<Void>> known) {
    Pending mine = new Pending(rows, Promise.promise(), Vertx.currentContext(), known, new AtomicBoolean());
    synchronized (pending) {
      pending.add(mine);
    }
    // Every append asks for a write; one that finds its rows taken by an earlier one commits nothing.
    AtomicReference<List<Pending>> taken = new AtomicReference<>(List.of());
    store.<Map<Pending, Throwable>>write(c -> writeWaiting(c, taken), committed -> {
      if (committed.succeeded()) {
        committed.result().forEach(Pending::tell);
      } else {
        taken.get().forEach(p -> p.tell(committed.cause()));
      }
    }).onComplete(ar -> {
      if (ar.failed()) {
        // Not committed: none of the group is recorded. A write refused before it ran took nothing.
        List<Pending> failed = new ArrayList<>(taken.get());
        synchronized (pending) {
          if (pending.remove(mine)) {
            failed.add(mine);
          }
        }
        failed.forEach(p -> p.complete(ar.cause()));
      } else {
        ar.result().forEach(Pending::complete);
      }
    });
    return mine.done().future();
  }

  /** On the writer thread, inside its transaction: what is waiting now, each append's failure or null. */
  private Map<Pending, Throwable> writeWaiting(Connection c, AtomicReference<List<Pending>> taken) throws SQLException {
    List<Pending> group;
    synchronized (pending) {
      group = new ArrayList<>(pending);
      pending.clear();
    }
    taken.set(group);
    Map<Pending, Throwable> outcomes = new LinkedHashMap<>();
    if (group.size() == 1) {
      // Alone: a failure rolls the whole transaction back, no savepoint needed.
      for (OperationRow row : group.get(0).rows()) {
        appendRow(c, row);
      }
      outcomes.put(group.get(0), null);
      return outcomes;
    }
    try (Statement s = c.createStatement()) {
      for (Pending p : group) {
        s.execute("SAVEPOINT operation_append");
        try {
          for (OperationRow row : p.rows()) {
            appendRow(c, row);
          }
          s.execute("RELEASE operation_append");
          outcomes.put(p, null);
        } catch (SQLException | RuntimeException e) {
          s.execute("ROLLBACK TO operation_append");
          s.execute("RELEASE operation_append");
          outcomes.put(p, e);
        }
      }
    }
    return outcomes;
  }

  /** One append waiting for the writer thread; {@code known} is told once, before {@code done} completes. */
  private record Pending(List<OperationRow> rows, Promise<Void> done, Context context,
      Handler<AsyncResult<Void>> known, AtomicBoolean told) {
    /** On whichever thread learns it first; {@code failure} null: committed. */
    void tell(Throwable failure) {
      if (known != null && told.compareAndSet(false, true)) {
        known.handle(failure == null ? Future.succeededFuture() : Future.failedFuture(failure));
      }
    }

    /** {@code failure} null: committed. */
    void complete(Throwable failure) {
      tell(failure);
      Runnable complete = () -> {
        if (failure == null) {
          done.tryComplete();
        } else {
          done.tryFail(failure);
        }
      };
      if (context == null || context == Vertx.currentContext()) {
        complete.run();
      } else {
        context.runOnContext(v -> complete.run());
      }
    }
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
