package io.servicemanager.insight;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes transitions on the push path without waiting for the disk: {@link #record} only buffers,
 * and the buffer goes to {@link TransitionStore#append} as one batch when it holds {@code maxBatch}
 * transitions or {@code flushEvery} after its first one, whichever comes first. Batches are written
 * one after the other, so the order of recording is the order on disk.
 */
public final class TransitionRecorder {
  private final Vertx vertx;
  private final TransitionStore store;
  private final long flushEveryMs;
  private final int maxBatch;
  private List<Transition> buffer = new ArrayList<>();
  private Promise<Void> bufferWritten = Promise.promise();
  private long timer = -1;
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean closed;

  public TransitionRecorder(Vertx vertx, TransitionStore store, Duration flushEvery, int maxBatch) {
    if (maxBatch < 1 || flushEvery.toMillis() < 1) {
      throw new IllegalArgumentException("maxBatch and flushEvery must be positive");
    }
    this.vertx = vertx;
    this.store = store;
    this.flushEveryMs = flushEvery.toMillis();
    this.maxBatch = maxBatch;
  }

  /**
   * Buffers {@code t}; never blocks. The future completes when its batch is committed; a caller on
   * the push path may ignore it (a failed batch is logged by whoever watches {@link #flush}).
   */
  public synchronized Future<Void> record(Transition t) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the transition recorder is closed"));
    }
    buffer.add(t);
    Future<Void> written = bufferWritten.future();
    if (buffer.size() >= maxBatch) {
      flush();
    } else if (timer < 0) {
      timer = vertx.setTimer(flushEveryMs, id -> timerFired(id));
    }
    return written;
  }

  /** Writes what is buffered now, after the batches before it; completes when it is committed. */
  public synchronized Future<Void> flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (buffer.isEmpty()) {
      return lastWrite.transform(ar -> Future.<Void>succeededFuture());
    }
    List<Transition> batch = buffer;
    Promise<Void> written = bufferWritten;
    buffer = new ArrayList<>();
    bufferWritten = Promise.promise();
    lastWrite = lastWrite.transform(ar -> store.append(batch)).onComplete(written);
    return written.future();
  }

  /** Writes what is left; later transitions are refused. */
  public synchronized Future<Void> close() {
    Future<Void> last = flush();
    closed = true;
    return last;
  }

  private synchronized void timerFired(long id) {
    if (timer == id) {
      timer = -1;
      flush();
    }
  }
}
