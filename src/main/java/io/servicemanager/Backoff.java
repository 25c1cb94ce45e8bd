package io.servicemanager;

/**
 * Capped exponential back-off: the delay after failure n is {@code first × 2^(n-1)}, never more than
 * the cap. Without jitter: each retrier here talks to one peer of its own (the local bus, one
 * webhook receiver, one server), so there is no herd to spread out, and the delays stay as
 * documented.
 *
 * <p>Used two ways: by attempt number ({@link #delayMs(int)}, for a caller that carries the count),
 * or as a counter of failures since the last success ({@link #next()}, {@link #reset()}). Not
 * thread-safe; each owner keeps it on its own context.
 */
public final class Backoff {
  private final long firstMs;
  private final long maxMs;
  private int failures;

  /** @throws IllegalArgumentException unless {@code 0 < firstMs <= maxMs} */
  public Backoff(long firstMs, long maxMs) {
    if (firstMs <= 0 || maxMs < firstMs) {
      throw new IllegalArgumentException("back-off needs 0 < first <= max, got " + firstMs + " and " + maxMs);
    }
    this.firstMs = firstMs;
    this.maxMs = maxMs;
  }

  /** The pause after failed attempt {@code attempt} (1-based). */
  public long delayMs(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    int doublings = attempt - 1;
    // A shift that would reach the sign bit is past any cap.
    if (doublings >= Long.numberOfLeadingZeros(firstMs)) {
      return maxMs;
    }
    return Math.min(maxMs, firstMs << doublings);
  }

  /** Counts one more failure and returns the pause before the next attempt. */
  public long next() {
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    return delayMs(failures);
  }

  /** After an attempt that worked, the next failure is retried quickly again. */
  public void reset() {
    failures = 0;
  }
}
