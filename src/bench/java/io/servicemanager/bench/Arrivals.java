package io.servicemanager.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of the fan-out clients first saw the awaited status of one change. Clients note it
 * from their own threads.
 */
final class Arrivals {
  private final AtomicLongArray arrived;
  private volatile String awaited;
  private volatile byte[] awaitedBytes;
  private volatile CountDownLatch pending = new CountDownLatch(0);

  Arrivals(int capacity) {
    arrived = new AtomicLongArray(capacity);
  }

  /** What a status frame must contain to count, as text; null between changes. */
  String awaited() {
    return awaited;
  }

  /** {@link #awaited()} as UTF-8 bytes. */
  byte[] awaitedBytes() {
    return awaitedBytes;
  }

  /** Client {@code index} has the awaited frame now; only its first time counts. */
  void seen(int index) {
    if (arrived.compareAndSet(index, 0, System.nanoTime())) {
      pending.countDown();
    }
  }

  /** Sorted arrival delays (ns after the trigger) of clients 0 … n−1, for the awaited status. */
  long[] change(int n, String status, FanOutBench.Trigger trigger) throws Exception {
    for (int i = 0; i < n; i++) {
      arrived.set(i, 0);
    }
    pending = new CountDownLatch(n);
    awaitedBytes = status.getBytes(StandardCharsets.UTF_8);
    awaited = status;
    long t0 = System.nanoTime();
    trigger.fire();
    if (!pending.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(pending.getCount() + " of " + n + " clients never saw " + status);
    }
    awaited = null;
    awaitedBytes = null;
    long[] delays = new long[n];
    for (int i = 0; i < n; i++) {
      delays[i] = arrived.get(i) - t0;
    }
    Arrays.sort(delays);
    return delays;
  }
}
