package io.servicemanager.systemd;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking attempt (a D-Bus connect and handshake) that is given up after a deadline.
 *
 * <p>dbus-java's SASL handshake reads a blocking {@code SocketChannel} with no timeout, and a bus
 * that accepts but never answers keeps it there for as long as the peer lives. So the attempt runs
 * on a thread of its own — never a Vert.x worker, which it would hold and get warned about — and at
 * the deadline the future fails, the thread is interrupted (an interrupt closes the channel it
 * reads, and ends a wait for a method reply) and whatever the attempt registered to abort is
 * closed. A result that comes after the deadline is discarded, never used.
 */
final class BoundedAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedAttempt.class);

  /** The blocking work; it hands {@code abort} anything to close should the deadline pass. */
  interface Work<T> {
    T run(Consumer<Closeable> abort) throws Exception;
  }

  private BoundedAttempt() {}

  /**
   * @param discard closes a result that arrived after the deadline
   * @return completes on the caller's context with the result, or fails with a
   *     {@link TimeoutException} at the deadline
   */
  static <T> Future<T> run(Vertx vertx, String name, long timeoutMs, Work<T> work, Consumer<T> discard) {
    Context context = vertx.getOrCreateContext();
    Promise<T> outcome = Promise.promise();
    AtomicBoolean decided = new AtomicBoolean();
    List<Closeable> toAbort = new CopyOnWriteArrayList<>();
    Thread thread = new Thread(() -> {
      T result = null;
      Throwable failure = null;
      try {
        result = work.run(toAbort::add);
      } catch (Throwable e) {
        failure = e;
      }
      if (decided.compareAndSet(false, true)) {
        T done = result;
        Throwable failed = failure;
        context.runOnContext(v -> {
          if (failed == null) {
            outcome.complete(done);
          } else {
            outcome.fail(failed);
          }
        });
      } else {
        // Too late: nothing of this attempt is used, so nothing of it may stay open.
        if (result != null) {
          discard.accept(result);
        }
        closeAll(name, toAbort);
      }
    }, name);
    thread.setDaemon(true);
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (decided.compareAndSet(false, true)) {
        outcome.fail(new TimeoutException("no answer within " + timeoutMs + " ms"));
        thread.interrupt();
        // Closing a socket does not block, but stays off the event loop all the same.
        vertx.executeBlocking(() -> {
          closeAll(name, toAbort);
          return null;
        }, false);
      }
    });
    thread.start();
    return outcome.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static void closeAll(String name, List<Closeable> opened) {
    for (Closeable c : opened) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("{}: closing what an abandoned attempt opened failed", name, e);
      }
    }
  }
}
