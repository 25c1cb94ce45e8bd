package io.servicemanager.history;

import io.servicemanager.action.OperationLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operation history (DESIGN §4 {@code GET /api/history}): an append-only JSON Lines file, one
 * {@link io.servicemanager.action.OperationRecord} a line, rotated by size.
 *
 * <p>{@link #append} completes only once the line has been written and fsync'd, so an action that
 * was answered survives a crash of the process or the machine. Appends run one at a time, in the
 * order they were called, on a worker thread of their own; queries run on Vert.x's worker pool and
 * read newest first, skipping (with one warning each) lines a crash left torn. Nothing here runs
 * on an event loop.
 */
public final class HistoryStore implements OperationLog {
  /** Rotate when the file would grow past this. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  /** Rotated files kept besides the current one. */
  public static final int DEFAULT_KEEP = 5;

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final Vertx vertx;
  private final HistoryFiles files;
  private final WorkerExecutor writer;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public HistoryStore(Vertx vertx, Path file) {
    this(vertx, file, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
  }

  /**
   * No file is touched here; the first {@link #open} or {@link #append} creates what is missing.
   *
   * @param maxBytes the size a file may reach before the next record goes into a fresh one (a
   *     single record larger than this still gets a file of its own)
   * @param keep how many rotated files to keep ({@code history.jsonl.1} … {@code .keep}); 0 keeps none
   */
  public HistoryStore(Vertx vertx, Path file, long maxBytes, int keep) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive (got " + maxBytes + ")");
    }
    if (keep < 0) {
      throw new IllegalArgumentException("keep must be 0 or more (got " + keep + ")");
    }
    this.vertx = vertx;
    this.files = new HistoryFiles(file, maxBytes, keep);
    // One thread: appends are written in the order they were called, whichever context called.
    this.writer = vertx.createSharedWorkerExecutor("history-" + INSTANCES.incrementAndGet(), 1);
  }

  /** The current file (absolute); rotated ones are beside it with {@code .1}, {@code .2}, … appended. */
  public Path file() {
    return files.file();
  }

  /**
   * Creates the directory (0700) and the file (0600) when missing. Optional: {@link #append} does it
   * too, but calling this at start-up reports an unwritable history location before the first action.
   */
  public Future<Void> open() {
    return write(() -> files.open());
  }

  /** Writes {@code record} as one compact JSON line and fsyncs it; fails with a message naming the file. */
  @Override
  public Future<Void> append(JsonObject record) {
    return appendAll(java.util.Collections.singletonList(record));
  }

  /**
   * Writes {@code records} as consecutive lines with one write and one fsync: the callers joined
   * into one job are made durable together.
   */
  @Override
  public Future<Void> appendAll(List<JsonObject> records) {
    StringBuilder lines = new StringBuilder();
    for (JsonObject record : records) {
      if (record == null) {
        return Future.failedFuture(new IllegalArgumentException("no record to append"));
      }
      try {
        lines.append(record.encode()).append('\n');
      } catch (RuntimeException e) {
        return Future.failedFuture(new IllegalArgumentException("the record cannot be written as JSON: " + e.getMessage(), e));
      }
    }
    if (lines.length() == 0) {
      return Future.succeededFuture();
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    return write(() -> files.append(bytes));
  }

  /**
   * The newest records first, from the current file and then the rotated ones, reading backwards
   * and stopping once {@code limit} are found.
   *
   * @param service only records whose {@code service} is this; null for all
   * @param limit at least 1 ({@link HistoryQuery} bounds what a caller may ask for)
   */
  public Future<List<JsonObject>> query(String service, int limit) {
    return queryMatching(name -> service == null || service.equals(name), limit);
  }

  /**
   * {@link #query(String, int)} for the services a caller may see: the limit counts only records
   * that {@code services} accepts.
   */
  public Future<List<JsonObject>> queryMatching(java.util.function.Predicate<String> services, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1 (got " + limit + ")"));
    }
    return vertx.executeBlocking(() -> {
      List<HistoryFiles.Segment> segments = List.of();
      try {
        segments = files.snapshot();
        return HistoryScan.newestFirst(segments, services, limit, reported);
      } catch (IOException e) {
        throw failure("read", e);
      } finally {
        for (HistoryFiles.Segment s : segments) {
          s.close();
        }
      }
    }, false);
  }

  /** {@link #query} with a validated {@link HistoryQuery}. */
  public Future<List<JsonObject>> query(HistoryQuery query) {
    return query(query.service(), query.limit());
  }

  /** Waits for appends already called, then closes the file; later appends fail. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return writer.<Void>executeBlocking(() -> {
      files.close();
      return null;
    }, true).eventually(writer::close);
  }

  private interface FileWork {
    void run() throws IOException;
  }

  private Future<Void> write(FileWork work) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the history store " + files.file() + " is closed"));
    }
    return writer.executeBlocking(() -> {
      try {
        work.run();
      } catch (IOException e) {
        throw failure("write", e);
      }
      return null;
    }, true);
  }

  private IOException failure(String verb, IOException e) {
    return new IOException("cannot " + verb + " history file " + files.file() + ": " + reason(e), e);
  }

  /** The OS's reason in words; Java's own messages for these are often just the path. */
  private String reason(IOException e) {
    String what = "";
    if (e instanceof FileSystemException fse && fse.getFile() != null && !fse.getFile().equals(files.file().toString())) {
      what = fse.getFile() + ": ";
    }
    if (e instanceof AccessDeniedException) {
      return what + "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return what + "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return what + "exists and is not a directory";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return what + fse.getReason();
    }
    return what + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
  }
}
