package io.servicemanager.notify;

import io.servicemanager.Backoff;

/**
 * How a webhook is retried: capped exponential back-off (1 s, 2 s, 4 s … 60 s) for at most
 * {@code maxAttempts} attempts, each with a time limit, from a queue of {@code queueCapacity} per
 * target.
 */
record RetryPolicy(long firstDelayMs, long maxDelayMs, int maxAttempts, long requestTimeoutMs, int queueCapacity) {
  /** Eight attempts span about two minutes: enough for a receiver's restart, not for an outage. */
  static final RetryPolicy DEFAULT = new RetryPolicy(1_000, 60_000, 8, 10_000, 1_000);

  /**
   * The pause after failed attempt {@code attempt} (1-based); a receiver's Retry-After (429, 503)
   * is honoured when longer, still within the cap.
   */
  long delayMs(int attempt, long retryAfterMs) {
    long exponential = new Backoff(firstDelayMs, maxDelayMs).delayMs(attempt);
    return Math.min(maxDelayMs, Math.max(exponential, retryAfterMs));
  }
}
