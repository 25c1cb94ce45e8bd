package io.servicemanager.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this process between two readings, from /proc/self/task — the JVM's
 * own threads (GC, JIT compilers, VM periodic task) included — grouped by thread name with digits
 * dropped ("vert.x-eventloo", the kernel keeps 15 characters). Resolution: one clock tick (10 ms).
 */
final class ThreadCpu {
  private static final long MS_PER_TICK = 10;
  private final Map<String, Long> start;

  private ThreadCpu(Map<String, Long> start) {
    this.start = start;
  }

  static ThreadCpu start() {
    return new ThreadCpu(read());
  }

  /** Milliseconds of CPU per thread group since {@link #start()}, largest first; threads gone since are lost. */
  Map<String, Double> since() {
    Map<String, Double> byGroup = new HashMap<>();
    read().forEach((key, ticks) -> {
      long delta = ticks - start.getOrDefault(key, 0L);
      if (delta > 0) {
        String name = key.substring(key.indexOf(' ') + 1).replaceAll("\\d+", "#");
        byGroup.merge(name, (double) delta * MS_PER_TICK, Double::sum);
      }
    });
    Map<String, Double> sorted = new LinkedHashMap<>();
    byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** "tid name" → utime + stime in ticks. */
  private static Map<String, Long> read() {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.put(task.getFileName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException e) {
      // no /proc: nothing to report
    }
    return ticks;
  }
}
