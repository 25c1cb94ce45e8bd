package io.servicemanager.watch;

/** Capped exponential back-off between reconnection attempts: first, 2×first, … up to max. */
public final class Backoff {
  private final long firstMs;
  private final long maxMs;
  private long nextMs;

  public Backoff(long firstMs, long maxMs) {
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.nextMs = firstMs;
  }

  /** The delay before the next attempt; each call doubles the one after, up to the cap. */
  public long next() {
    long delay = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return delay;
  }

  /** After a connection that worked, the next loss is retried quickly again. */
  public void reset() {
    nextMs = firstMs;
  }
}
