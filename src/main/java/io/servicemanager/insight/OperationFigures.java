package io.servicemanager.insight;

import java.util.List;

/**
 * How a service's operations went: how many, how many succeeded, and how long they took.
 *
 * @param successRate succeeded / count, 0 to 1; null without operations
 * @param p50Ms the median duration (nearest rank); null without operations
 * @param p95Ms the 95th percentile duration (nearest rank); null without operations
 */
public record OperationFigures(int count, int succeeded, Double successRate, Long p50Ms, Long p95Ms) {

  /** One operation as far as the figures need it. */
  public record Done(boolean success, long durationMs) {}

  public static OperationFigures of(List<Done> operations) {
    if (operations.isEmpty()) {
      return new OperationFigures(0, 0, null, null, null);
    }
    int succeeded = (int) operations.stream().filter(Done::success).count();
    long[] durations = operations.stream().mapToLong(Done::durationMs).sorted().toArray();
    return new OperationFigures(operations.size(), succeeded, (double) succeeded / operations.size(),
        percentile(durations, 50), percentile(durations, 95));
  }

  /** The nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
