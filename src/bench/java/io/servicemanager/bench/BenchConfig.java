package io.servicemanager.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Knobs, read from the environment so that {@code scripts/bench} can pass them through Maven to the
 * benchmark's own JVM: {@code BENCH_ROUNDS=100 scripts/bench}.
 *
 * @param warmupRounds start/stop rounds run first and discarded
 * @param rounds measured start/stop rounds (two transitions each), in each of the two windows
 * @param settleRounds rounds discarded between the early window and the steady one
 * @param pauseMs quiet time after each transition, so late duplicate signals never overlap the next
 * @param units template instances for the cold-sync and idle measurements
 * @param syncRuns deployments timed per cold-sync scenario
 * @param idleSeconds length of each idle window
 * @param idleInactive also measure an idle window with all units inactive
 * @param parts which of {@link #ALL_PARTS} to run
 */
record BenchConfig(int warmupRounds, int rounds, int settleRounds, long pauseMs, int units, int syncRuns,
    int idleSeconds,
    boolean idleInactive, Set<String> parts, Path output) {

  /** The parts, in the order they run; {@code BENCH_PARTS=push,running} runs a subset. */
  static final List<String> ALL_PARTS = List.of("push", "running", "inactive");

  boolean runs(String part) {
    return parts.contains(part);
  }

  static BenchConfig fromEnvironment() {
    return new BenchConfig(
        number("BENCH_WARMUP", 10),
        number("BENCH_ROUNDS", 50),
        number("BENCH_SETTLE_ROUNDS", 150),
        number("BENCH_PAUSE_MS", 50),
        number("BENCH_UNITS", 1000),
        number("BENCH_SYNC_RUNS", 3),
        number("BENCH_IDLE_SECONDS", 60),
        number("BENCH_IDLE_INACTIVE", 1) != 0,
        parts(System.getenv().getOrDefault("BENCH_PARTS", String.join(",", ALL_PARTS))),
        Path.of(System.getenv().getOrDefault("BENCH_OUTPUT", "target/bench-results.md")));
  }

  private static Set<String> parts(String list) {
    Set<String> parts = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        if (!ALL_PARTS.contains(part.strip())) {
          throw new IllegalArgumentException("BENCH_PARTS: unknown part \"" + part + "\"; known: " + ALL_PARTS);
        }
        parts.add(part.strip());
      }
    }
    return parts;
  }

  private static int number(String name, int fallback) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got \"" + value + "\"");
    }
  }
}
