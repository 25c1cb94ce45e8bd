package io.servicemanager.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition over state that events change, without polling: the code that changes the
 * state calls {@link #signal()} afterwards, and a waiter re-checks the condition only then. The
 * condition is read under the same monitor the signal takes, so no signal between a check and the
 * wait is lost.
 */
public final class Signal {
  private final Object monitor = new Object();

  /** Call after every change the awaited conditions read. */
  public void signal() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** Returns once {@code condition} holds; an AssertionError naming {@code what} after {@code timeout}. */
  public void await(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("within " + timeout + ": " + what);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
      }
    }
  }
}
