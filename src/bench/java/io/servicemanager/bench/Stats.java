package io.servicemanager.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of durations held in nanoseconds, reported in milliseconds. */
record Stats(int n, double p50, double p90, double p99, double max, double p95) {

  static Stats of(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Stats(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)), ms(rank(sorted, 0.99)),
        ms(sorted[sorted.length - 1]), ms(rank(sorted, 0.95)));
  }

  /** The smallest value with at least {@code q} of the samples at or below it. */
  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double median(double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
