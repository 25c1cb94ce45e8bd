package io.servicemanager.insight;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes what is older than {@code retention_days}. Each service keeps its last transition before
 * the cutoff, so the state a window at the cutoff starts in stays known.
 */
public final class Retention {
  public static final int DEFAULT_DAYS = 90;

  /** How many rows went, per table. */
  public record Removed(int operations, int transitions, int gaps) {}

  private Retention() {}

  /** Deletes what ended more than {@code days} before {@code now}, in one transaction. */
  public static Future<Removed> apply(InsightStore store, int days, Instant now) {
    if (days < 1) {
      return Future.failedFuture(new IllegalArgumentException("retention_days must be at least 1 (got " + days + ")"));
    }
    long cutoff = now.minus(Duration.ofDays(days)).toEpochMilli();
    return store.write(c -> {
      int operations;
      int transitions;
      int gaps;
      try (PreparedStatement s = c.prepareStatement("DELETE FROM operations WHERE at < ?")) {
        s.setLong(1, cutoff);
        operations = s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM transitions WHERE at < ?1 AND id NOT IN ("
          + "SELECT (SELECT id FROM transitions k WHERE k.service = t.service AND k.at < ?1 ORDER BY at DESC, id DESC"
          + " LIMIT 1) FROM (SELECT DISTINCT service FROM transitions WHERE at < ?1) t)")) {
        s.setLong(1, cutoff);
        transitions = s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM gaps WHERE end_at IS NOT NULL AND end_at < ?")) {
        s.setLong(1, cutoff);
        gaps = s.executeUpdate();
      }
      return new Removed(operations, transitions, gaps);
    });
  }
}
