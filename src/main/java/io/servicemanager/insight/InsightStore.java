package io.servicemanager.insight;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The insight database for Vert.x code: every JDBC call runs on one of two threads of its own, never
 * on an event loop. Writes run one at a time, in the order they were asked for, each in a transaction
 * that has committed (and, with synchronous=FULL, been fsync'd) before its future completes; only
 * {@link #writeUnsynced} leaves the fsync to the next synced commit. Reads
 * run on a second, read-only connection, which WAL lets read while the writer writes.
 */
public final class InsightStore {
  private static final Logger LOG = LoggerFactory.getLogger(InsightStore.class);
  private static final AtomicLong INSTANCES = new AtomicLong();

  /** A piece of blocking JDBC work on the connection it is handed. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws Exception;
  }

  private final InsightDatabase database;
  private final Connection reader;
  private final WorkerExecutor writeThread;
  private final WorkerExecutor readThread;
  private volatile boolean closed;

  private InsightStore(InsightDatabase database, Connection reader, WorkerExecutor writeThread,
      WorkerExecutor readThread) {
    this.database = database;
    this.reader = reader;
    this.writeThread = writeThread;
    this.readThread = readThread;
  }

  /**
   * Opens and migrates the database off the event loop; fails with an {@link InsightDatabaseException}
   * when the file cannot be used (the caller exits 2).
   */
  public static Future<InsightStore> open(Vertx vertx, Path file) {
    long n = INSTANCES.incrementAndGet();
    WorkerExecutor writeThread = vertx.createSharedWorkerExecutor("insight-write-" + n, 1);
    WorkerExecutor readThread = vertx.createSharedWorkerExecutor("insight-read-" + n, 1);
    return writeThread.executeBlocking(() -> {
      InsightDatabase database = InsightDatabase.open(file);
      try {
        return new InsightStore(database, database.openReader(), writeThread, readThread);
      } catch (InsightDatabaseException e) {
        database.close();
        throw e;
      }
    }, true).onFailure(e -> {
      writeThread.close();
      readThread.close();
    });
  }

  public Path file() {
    return database.file();
  }

  /** Runs {@code work} in a write transaction: committed when the future succeeds, rolled back when it fails. */
  public <T> Future<T> write(SqlWork<T> work) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the insight database " + file() + " is closed"));
    }
    return writeThread.executeBlocking(() -> inTransaction(database.connection(), work), true);
  }

  /**
   * {@link #write}, with {@code known} told the outcome on the writer thread as soon as the
   * transaction has committed (or failed), before the returned future hands it back to the caller's
   * context: for what may act from any thread at once, such as an event-bus reply. A failure of
   * {@code known} itself does not change the outcome.
   */
  public <T> Future<T> write(SqlWork<T> work, Handler<AsyncResult<T>> known) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the insight database " + file() + " is closed"));
    }
    return writeThread.executeBlocking(() -> {
      T result;
      try {
        result = inTransaction(database.connection(), work);
      } catch (Exception | Error e) {
        tell(known, Future.failedFuture(e));
        throw e;
      }
      tell(known, Future.succeededFuture(result));
      return result;
    }, true);
  }

  private static <T> void tell(Handler<AsyncResult<T>> known, AsyncResult<T> outcome) {
    try {
      known.handle(outcome);
    } catch (RuntimeException e) {
      LOG.error("a listener of a committed write failed", e);
    }
  }

  /**
   * Runs {@code work} in a write transaction committed without waiting for the disk
   * ({@code synchronous=NORMAL} for this one commit): it survives kill -9 at once, and a power loss
   * once the next {@link #write} (which syncs the write-ahead log up to its own end) or a checkpoint
   * has synced it. For what nobody was told is recorded: transitions, which wait in memory before
   * their batch anyway. An operation's record never goes this way.
   */
  public <T> Future<T> writeUnsynced(SqlWork<T> work) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the insight database " + file() + " is closed"));
    }
    return writeThread.executeBlocking(() -> {
      Connection connection = database.connection();
      synchronous(connection, "NORMAL");
      try {
        return inTransaction(connection, work);
      } finally {
        synchronous(connection, "FULL");
      }
    }, true);
  }

  private static void synchronous(Connection connection, String level) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA synchronous=" + level);
    }
  }

  /** Runs {@code work} in a read transaction: one consistent view of the database throughout. */
  public <T> Future<T> read(SqlWork<T> work) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the insight database " + file() + " is closed"));
    }
    return readThread.executeBlocking(() -> inTransaction(reader, work), true);
  }

  /** Waits for the work already asked for, then closes both connections; later calls fail. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    Future<Void> reading = readThread.<Void>executeBlocking(() -> {
      reader.close();
      return null;
    }, true).eventually(readThread::close);
    return reading.eventually(() -> writeThread.<Void>executeBlocking(() -> {
      database.close();
      return null;
    }, true)).eventually(writeThread::close);
  }

  private static <T> T inTransaction(Connection connection, SqlWork<T> work) throws Exception {
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (Exception | Error e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
