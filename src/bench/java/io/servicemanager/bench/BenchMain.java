package io.servicemanager.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark (run by {@code scripts/bench}; a plain main, not a test): push latency against the raw
 * D-Bus floor, cold sync of N template instances running and inactive, and the idle cost with N units
 * watched. Prints Markdown and writes it to {@code target/bench-results.md}. Needs root, like the
 * sandboxes it starts; every sandbox is closed before it returns.
 */
public final class BenchMain {
  /** Load averages along the way: other work on the machine shows up in every latency. */
  private static final List<String> LOAD = new ArrayList<>();

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
      System.err.println("bench: needs root (it starts private systemd user managers)");
      System.exit(2);
    }
    BenchConfig config = BenchConfig.fromEnvironment();
    long started = System.nanoTime();
    List<String> failures = new ArrayList<>();
    PushLatencyBench.Result push = !config.runs("push") ? null
        : section("push latency", failures, () -> new PushLatencyBench(config).run());
    ColdSyncBench.Result running = !config.runs("running") ? null : section("cold sync (running)", failures,
        () -> new ColdSyncBench(config).run(true, true));
    ColdSyncBench.Result inactive = !config.runs("inactive") ? null : section("cold sync (inactive)", failures,
        () -> new ColdSyncBench(config).run(false, config.idleInactive()));
    for (ColdSyncBench.Result r : new ColdSyncBench.Result[] {running, inactive}) {
      if (r != null && r.idleError() != null) {
        failures.add("idle (" + (r.running() ? "running" : "inactive") + "): " + r.idleError());
      }
    }
    LOAD.add("at the end: " + loadAverage());
    double wall = (System.nanoTime() - started) / 1e9;
    String md = new Report().render(config, push, running, inactive, failures, environment(config), LOAD,
        wall, leftovers());
    System.out.println(md);
    Files.createDirectories(config.output().toAbsolutePath().getParent());
    Files.writeString(config.output(), md, StandardCharsets.UTF_8);
    System.err.println("bench: written to " + config.output());
    int exit = failures.isEmpty() ? 0 : 1;
    System.exit(exit);
  }

  interface Section<T> {
    T run() throws Exception;
  }

  /** Runs one part; a failure is reported with the others' results instead of hiding them. */
  private static <T> T section(String name, List<String> failures, Section<T> section) {
    LOAD.add("before " + name + ": " + loadAverage());
    System.err.println("bench: " + name + "…");
    try {
      return section.run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      String message = e.toString();
      failures.add(name + ": " + (message.length() > 400 ? message.substring(0, 400) + "…" : message));
      return null;
    }
  }

  private static String environment(BenchConfig config) {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT,
        "%s · JDK %s · %d cores · max heap %d MiB · %s · rounds %d per window (%d warm-up, %d settle) · %d units · %d sync runs · idle %d s",
        java.time.LocalDate.now(), Runtime.version(), rt.availableProcessors(), rt.maxMemory() / (1024 * 1024),
        firstLine("systemctl", "--version"), config.rounds(), config.warmupRounds(), config.settleRounds(), config.units(),
        config.syncRuns(), config.idleSeconds());
  }

  private static String firstLine(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("?").strip();
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  /**
   * How busy the machine is: the load average (1 / 5 min) and the share of the last 10 s in which
   * some runnable task waited for a CPU (PSI "some avg10") — 0 % on a quiet machine.
   */
  static String loadAverage() {
    String load = "?";
    String waiting = "?";
    try {
      String[] fields = Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      load = fields[0] + " / " + fields[1];
      String psi = Files.readString(java.nio.file.Path.of("/proc/pressure/cpu"));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("some avg10=([0-9.]+)").matcher(psi);
      if (m.find()) {
        waiting = m.group(1) + " %";
      }
    } catch (IOException e) {
      // not Linux, or no PSI: leave "?"
    }
    return "load " + load + ", CPU waited " + waiting;
  }

  /** {@code sleep infinity} processes still alive: the benchmark's units, if a sandbox leaked. */
  static long leftovers() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith("sleep infinity")).orElse(false))
        .count();
  }
}
