package io.servicemanager.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The fleet benchmark's knobs, from the environment (scripts/bench-fleet passes them on).
 *
 * @param nodes fleet nodes, each a JVM and a systemd sandbox; the standalone server is one more
 * @param units running units per node (besides {@code bench@push})
 * @param warmup latency rounds run first and discarded
 * @param rounds measured latency rounds (one transition on each side per round)
 * @param pauseMs quiet time after each transition
 * @param idleSeconds the window RSS and idle CPU are read over
 * @param losses nodes killed in turn to time their loss on the dashboard
 * @param portBase the first of a range of ports to use (0: free ports)
 * @param jvmOptions every node's and the standalone's JVM options
 * @param jar the packaged jar
 * @param formTimeout how long the fleet may take to form (every node reachable on A) before the run gives up
 */
record FleetBenchConfig(int nodes, int units, int warmup, int rounds, long pauseMs, int idleSeconds, int losses,
    int portBase, List<String> jvmOptions, Path jar, Path output, Duration formTimeout) {
  static final String DEFAULT_JVM = "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";

  static FleetBenchConfig fromEnvironment() {
    return new FleetBenchConfig(number("BENCH_FLEET_NODES", 10), number("BENCH_FLEET_UNITS", 10),
        number("BENCH_FLEET_WARMUP", 10), number("BENCH_FLEET_ROUNDS", 60), number("BENCH_FLEET_PAUSE_MS", 100),
        number("BENCH_FLEET_IDLE_SECONDS", 30), number("BENCH_FLEET_LOSSES", 3), number("BENCH_FLEET_PORT_BASE", 0),
        Arrays.stream(env("BENCH_FLEET_JVM", DEFAULT_JVM).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
        Path.of(env("BENCH_FLEET_JAR", "target/service-manager.jar")), Path.of(env("BENCH_OUTPUT", "target/bench-fleet.md")),
        Duration.ofMinutes(number("BENCH_FLEET_FORM_MINUTES", 15)));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static int number(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }
}
