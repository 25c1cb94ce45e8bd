package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Views at scale, two builds side by side ({@code scripts/bench-scale}): one sandbox with N active
 * {@code scale@} instances per level (active oneshots without a process: 20 000 start in seconds), then, in turns, each build's jar deployed in a JVM of its own
 * ({@link ScaleSide}) — all states published, the first screen complete, every view complete, the
 * snapshot's bytes on the wire, and the D-Bus messages of an idle window. Writes Markdown to
 * {@code target/bench-scale.md}.
 */
public final class ScaleBench {
  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> builds = new LinkedHashMap<>();
    for (String spec : env("BENCH_SCALE_BUILDS", "new=target/service-manager.jar").split(",")) {
      String[] kv = spec.split("=", 2);
      builds.put(kv[0], Path.of(kv[1]).toAbsolutePath().toString());
    }
    int rounds = Integer.parseInt(env("BENCH_SCALE_ROUNDS", "2"));
    int idle = Integer.parseInt(env("BENCH_SCALE_IDLE_SECONDS", "10"));
    List<String> jvm = List.of(env("BENCH_SERVER_JVM", "-Xmx512m -XX:+ExitOnOutOfMemoryError").split("\\s+"));
    Path output = Path.of(env("BENCH_OUTPUT", "target/bench-scale.md"));
    StringBuilder md = new StringBuilder("### Views at scale (" + java.time.LocalDate.now() + ", builds: " + builds
        + ", JVM `" + String.join(" ", jvm) + "`)\n\n");
    md.append("| units | build | round | load before | all states | first screen (" + ScaleSide.SCREEN
        + " views) complete | every view complete | details: first screen / every view, after all states | CPU from deploy to every view: JVM / systemd / dbus-daemon | CPU from all states to every view: JVM / systemd / dbus-daemon | /ws snapshot | ?snapshot=gzip | permessage-deflate offered | GET /api/services plain / gzip / br | idle D-Bus messages |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    List<JsonObject> mixes = new ArrayList<>();
    for (String level : env("BENCH_SCALE_UNITS", "5000,20000").split(",")) {
      int n = Integer.parseInt(level.trim());
      List<String> units = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        units.add("scale@" + i + ".service");
      }
      try (SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/scale@.service")
          .stopTimeout(Duration.ofSeconds(300)).closeOnShutdown().start()) {
        System.err.printf("bench-scale: starting %d units…%n", n);
        double startMs = ColdSyncBench.startAll(sandbox, units);
        System.err.printf("bench-scale: %d units active after %.0f ms%n", n, startMs);
        List<String> names = new ArrayList<>(builds.keySet());
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < names.size(); k++) {
            // Alternate who goes first, so neither build always meets a warmer systemd.
            String build = names.get(r % 2 == 0 ? k : names.size() - 1 - k);
            String load = BenchMain.loadAverage();
            JsonObject res = side(jvm, builds.get(build), sandbox, n, idle);
            System.err.println("bench-scale: " + build + " " + res.encode());
            md.append(String.format(Locale.ROOT, "| %,d | %s | %d | %s | %.0f ms | %.0f ms | %.0f ms | %.0f / **%.0f ms** | %s / %s / %s ms | %s / %s / %s ms | %s | %s | %s | %s / %s / %s | %s |%n",
                n, build, r + 1, load, res.getDouble("all_states_ms"), res.getDouble("first_screen_ms"),
                res.getDouble("complete_ms"), res.getDouble("first_screen_ms") - res.getDouble("all_states_ms"),
                res.getDouble("complete_ms") - res.getDouble("all_states_ms"), res.getValue("jvm_cpu_ms", "—"),
                res.getValue("systemd_cpu_ms", "—"), res.getValue("dbus_cpu_ms", "—"),
                res.getValue("details_jvm_cpu_ms", "—"), res.getValue("details_systemd_cpu_ms", "—"),
                res.getValue("details_dbus_cpu_ms", "—"), kb(res.getInteger("ws_snapshot_bytes")),
                kb(res.getInteger("ws_gzip_bytes")) + (res.getBoolean("ws_gzip_binary") ? " (gzip, binary)" : " (not understood: text)"),
                kb(res.getInteger("ws_deflate_offered_bytes")) + (res.getBoolean("ws_deflate_negotiated") ? " (negotiated)" : " (refused)"),
                kb(res.getInteger("api_services_bytes")), kb(res.getInteger("api_services_gzip_bytes")),
                kb(res.getInteger("api_services_br_bytes")), res.getValue("idle_messages", "—")));
            if (r == 0) {
              mixes.add(res.getJsonObject("mix").put("units", n).put("build", build));
            }
          }
        }
      }
    }
    md.append("\nThe snapshot's text, compressed in the benchmark's JVM (the mix; ms = CPU of one compression, mean of 5):\n\n")
        .append("| units | build | JSON | no nulls | no nulls, gzip 6 | gzip 1 | gzip 6 | gzip 9 |\n|---|---|---|---|---|---|---|---|\n");
    for (JsonObject m : mixes) {
      md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s, %.1f ms | %s, %.1f ms | %s, %.1f ms |%n",
          m.getInteger("units"), m.getString("build"), kb(m.getInteger("json")), kb(m.getInteger("no_nulls")),
          kb(m.getInteger("no_nulls_gzip6")), kb(m.getInteger("gzip1")), m.getDouble("gzip1_ms"),
          kb(m.getInteger("gzip6")), m.getDouble("gzip6_ms"), kb(m.getInteger("gzip9")), m.getDouble("gzip9_ms")));
    }
    md.append("\nAt the end: ").append(BenchMain.loadAverage()).append(".\n");
    System.out.println(md);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, md, StandardCharsets.UTF_8);
    System.exit(0);
  }

  private static String kb(Integer bytes) {
    return bytes == null ? "—" : String.format(Locale.ROOT, "%,.0f KB", bytes / 1000.0);
  }

  /** One build's run in a JVM of its own: the bench's classes first, then that build's jar. */
  private static JsonObject side(List<String> jvm, String jar, SystemdSandbox sandbox, int n, int idle)
      throws IOException, InterruptedException {
    String benchClasses = Path.of(env("BENCH_SCALE_CLASSES", "target/bench/test-classes")).toAbsolutePath().toString();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm.stream().filter(s -> !s.isBlank()).toList());
    command.addAll(List.of("-cp", benchClasses + ":" + jar, ScaleSide.class.getName(), sandbox.busAddress(),
        Integer.toString(n), Integer.toString(idle), Long.toString(sandbox.managerPid()),
        Long.toString(sandbox.busDaemonPid())));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    return out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .map(l -> new JsonObject(l.substring("RESULT ".length())))
        .orElseThrow(() -> new IllegalStateException("no result from " + jar + ": " + out));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
