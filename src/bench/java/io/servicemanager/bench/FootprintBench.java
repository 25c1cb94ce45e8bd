package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Footprint (issue 16): the packaged jar started as deployed against a private systemd with N running
 * units (4 and 100) watched — start to a healthy {@code /api/health}, then, after settling with one
 * /ws client, RSS, threads, heap and metaspace. Several variants (a jar and its JVM options) take
 * turns, round by round, in one sitting: the base build beside this one, each lever beside the
 * shipped options. Cockpit's cockpit-ws and cockpit-bridge for one session on the same sandbox, in
 * the same sitting. Run: {@code scripts/bench-footprint}.
 *
 * <p>Knobs: {@code BENCH_FOOTPRINT_VARIANTS} ({@code label|jar|JVM options}, separated by {@code ;};
 * an option {@code @file} is an argument file, relative to the working directory),
 * {@code BENCH_FOOTPRINT_SERVICES=4,100}, {@code BENCH_FOOTPRINT_ROUNDS=3},
 * {@code BENCH_FOOTPRINT_SETTLE_SECONDS=10}, {@code BENCH_FOOTPRINT_COCKPIT=1},
 * {@code BENCH_FOOTPRINT_PORTS=FROM-TO} (default: free ports), {@code BENCH_FOOTPRINT_OUTPUT}.
 */
public final class FootprintBench {
  record Variant(String label, Path jar, List<String> options) {}

  private FootprintBench() {}

  public static void main(String[] args) throws Exception {
    List<Variant> variants = variants(env("BENCH_FOOTPRINT_VARIANTS",
        "new, shipped options|target/service-manager.jar|@conf/jvm.options"));
    int[] counts = Arrays.stream(env("BENCH_FOOTPRINT_SERVICES", "4,100").split(","))
        .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
    int rounds = Integer.parseInt(env("BENCH_FOOTPRINT_ROUNDS", "3"));
    int settle = Integer.parseInt(env("BENCH_FOOTPRINT_SETTLE_SECONDS", "10"));
    boolean cockpit = !"0".equals(env("BENCH_FOOTPRINT_COCKPIT", "1"));
    Ports ports = new Ports(env("BENCH_FOOTPRINT_PORTS", ""));
    long wall = System.nanoTime();
    StringBuilder md = new StringBuilder();
    md.append("### Footprint, ").append(LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append(" UTC (").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ").append(rounds).append(" starts per variant in turns, ").append(settle)
        .append(" s to settle with one /ws client)\n\n");
    for (Variant v : variants) {
      md.append("- **").append(v.label()).append("**: `").append(v.jar()).append("` with `")
          .append(v.options().isEmpty() ? "(JVM defaults)" : String.join(" ", v.options())).append("`")
          .append(expanded(v.options())).append('\n');
    }
    md.append('\n');
    for (int n : counts) {
      List<String> units = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        units.add("bench@" + i + ".service");
      }
      Path dir = Files.createTempDirectory("sm-footprint-");
      try (SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/bench@.service")
          .startupTimeout(Duration.ofSeconds(120)).stopTimeout(Duration.ofSeconds(60)).closeOnShutdown().start()) {
        ColdSyncBench.startAll(sandbox, units);
        md.append("#### ").append(n).append(" services, all running — ").append(BenchMain.loadAverage()).append("\n\n");
        Map<Variant, List<ManagerProcess.Sample>> samples = new LinkedHashMap<>();
        Map<Variant, String> nmt = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < variants.size(); k++) {
            // Turns rotate, so no variant always starts right after the same other one.
            Variant v = variants.get((k + r) % variants.size());
            Path runDir = dir.resolve(n + "-" + r + "-" + k);
            try (ManagerProcess manager = ManagerProcess.start(runDir, sandbox.busAddress(), ports.next(),
                v.jar(), v.options(), units)) {
              double startMs = manager.awaitHealthy();
              manager.connectViewer();
              Thread.sleep(settle * 1000L);
              ManagerProcess.Sample s = manager.sample(startMs);
              samples.get(v).add(s);
              if (v.options().stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                nmt.put(v, manager.nativeMemorySummary() + "; RSS by mapping (MiB): " + manager.mappingSummary());
              }
              System.err.printf(Locale.ROOT, "bench: %d services, %s, round %d: healthy after %.0f ms, RSS %.1f MiB, PSS %.1f MiB, %d threads%n",
                  n, v.label(), r + 1, s.startMs(), s.rssMiB(), s.pssMiB(), s.threads());
            }
          }
        }
        table(md, samples);
        nmt.forEach((v, summary) -> md.append("Native Memory Tracking of ").append(v.label())
            .append(" (last start, committed MiB): ").append(summary).append(".\n\n"));
        if (cockpit) {
          cockpit(md, sandbox, ports.next(), settle, dir.resolve("cockpit-ws.log"));
        }
      } finally {
        delete(dir);
      }
    }
    md.append(String.format(Locale.ROOT, "Whole benchmark: %.0f s. Processes left with `sleep infinity`: %s.%n",
        Stats.ms(System.nanoTime() - wall) / 1000, BenchMain.leftovers()));
    System.out.println(md);
    Path out = Path.of(env("BENCH_FOOTPRINT_OUTPUT", "target/bench-footprint.md"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
    System.exit(0);
  }

  private static void table(StringBuilder md, Map<Variant, List<ManagerProcess.Sample>> samples) {
    md.append("| variant | start → healthy, median (each) | its CPU time to healthy, median | idle RSS, median | idle PSS, median | peak RSS | threads | heap used / committed | metaspace used | non-heap committed | classes |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<Variant, List<ManagerProcess.Sample>> e : samples.entrySet()) {
      List<ManagerProcess.Sample> s = e.getValue();
      md.append(String.format(Locale.ROOT, "| %s | %.0f ms (%s) | %.0f ms | %.1f MiB (%s) | %.1f MiB | %.1f MiB | %.0f | %.1f / %.1f MiB | %.1f MiB | %.1f MiB | %.0f |%n",
          e.getKey().label(), median(s, ManagerProcess.Sample::startMs), each(s, ManagerProcess.Sample::startMs),
          median(s, ManagerProcess.Sample::startCpuMs),
          median(s, ManagerProcess.Sample::rssMiB), each(s, ManagerProcess.Sample::rssMiB),
          median(s, ManagerProcess.Sample::pssMiB), median(s, ManagerProcess.Sample::peakRssMiB),
          median(s, ManagerProcess.Sample::threads), median(s, ManagerProcess.Sample::heapUsedMiB),
          median(s, ManagerProcess.Sample::heapCommittedMiB), median(s, ManagerProcess.Sample::metaspaceMiB),
          median(s, ManagerProcess.Sample::nonHeapCommittedMiB), median(s, ManagerProcess.Sample::classes)));
    }
    md.append('\n');
    for (Map.Entry<Variant, List<ManagerProcess.Sample>> e : samples.entrySet()) {
      List<ManagerProcess.Sample> s = e.getValue();
      if (!s.isEmpty()) {
        md.append("Threads of ").append(e.getKey().label()).append(" (last start): ")
            .append(String.join(", ", s.get(s.size() - 1).threadNames().entrySet().stream()
                .map(t -> t.getKey() + " × " + t.getValue()).toList())).append(".\n\n");
      }
    }
  }

  private static void cockpit(StringBuilder md, SystemdSandbox sandbox, int port, int settle, Path log) {
    try (CockpitSession session = CockpitSession.start(sandbox, port, log)) {
      CockpitSession.Result r = session.measure(port, settle);
      md.append(String.format(Locale.ROOT, "Cockpit, same sandbox, one session (`cockpit-ws --local-session=cockpit-bridge`, "
          + "a dbus-json3 channel subscribed to systemd, ListUnits: %d units): cockpit-ws %.1f MiB + cockpit-bridge "
          + "%.1f MiB = **%.1f MiB** RSS.%n%n", r.units(), r.wsMiB(), r.bridgeMiB(), r.totalMiB()));
    } catch (Exception e) {
      e.printStackTrace();
      md.append("Cockpit: not measured (").append(e).append(")\n\n");
    }
  }

  private static double median(List<ManagerProcess.Sample> s, ToDoubleFunction<ManagerProcess.Sample> f) {
    return Stats.median(s.stream().mapToDouble(f).toArray());
  }

  private static String each(List<ManagerProcess.Sample> s, ToDoubleFunction<ManagerProcess.Sample> f) {
    return String.join(", ", s.stream().map(x -> String.format(Locale.ROOT, "%.1f", f.applyAsDouble(x))).toList());
  }

  /** {@code label|jar|options;…}; an argument file ({@code @file}) is made absolute here. */
  static List<Variant> variants(String spec) {
    List<Variant> variants = new ArrayList<>();
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      String[] f = part.split("\\|", -1);
      if (f.length != 3) {
        throw new IllegalArgumentException("BENCH_FOOTPRINT_VARIANTS: want label|jar|options, got " + part);
      }
      Path jar = Path.of(f[1].strip()).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("BENCH_FOOTPRINT_VARIANTS: no jar at " + jar);
      }
      List<String> options = Arrays.stream(f[2].strip().split("\\s+")).filter(s -> !s.isEmpty())
          .map(o -> o.startsWith("@") ? "@" + Path.of(o.substring(1)).toAbsolutePath() : o).toList();
      variants.add(new Variant(f[0].strip(), jar, options));
    }
    return variants;
  }

  /** The options an argument file holds, so the report says what ran. */
  private static String expanded(List<String> options) {
    List<String> inFiles = new ArrayList<>();
    for (String o : options) {
      if (o.startsWith("@")) {
        try {
          Files.readAllLines(Path.of(o.substring(1))).stream().map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(inFiles::add);
        } catch (IOException e) {
          inFiles.add("(" + e + ")");
        }
      }
    }
    return inFiles.isEmpty() ? "" : " = `" + String.join(" ", inFiles) + "`";
  }

  /** Ports from a range ({@code 19250-19299}), in turn, or free ones. */
  private static final class Ports {
    private final int from;
    private final int to;
    private int next;

    Ports(String range) {
      if (range.isBlank()) {
        from = to = next = 0;
      } else {
        String[] r = range.split("-");
        from = Integer.parseInt(r[0].strip());
        to = Integer.parseInt(r[1].strip());
        next = from;
      }
    }

    int next() throws IOException {
      if (from == 0) {
        try (ServerSocket s = new ServerSocket(0)) {
          return s.getLocalPort();
        }
      }
      for (int tries = 0; tries <= to - from; tries++) {
        int port = next;
        next = next == to ? from : next + 1;
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException busy) {
          // taken: the next one
        }
      }
      throw new IOException("no free port in " + from + "-" + to);
    }
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
