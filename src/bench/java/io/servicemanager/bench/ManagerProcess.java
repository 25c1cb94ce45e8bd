package io.servicemanager.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started as deployed — {@code java OPTIONS -jar JAR --config config.yaml}, in a
 * folder of its own with services.yaml, users.yaml (one viewer token) and its database — and what it
 * holds once it has settled: /proc's figures for the process, the JVM's own from {@code /metrics}.
 */
final class ManagerProcess implements AutoCloseable {
  static final String TOKEN = "footprint-bench-token";

  /** One start: start → healthy, then the idle figures after settling with one /ws client. */
  record Sample(double startMs, double startCpuMs, double rssMiB, double pssMiB, double peakRssMiB, int threads, double heapUsedMiB,
      double heapCommittedMiB, double metaspaceMiB, double nonHeapCommittedMiB, double classes,
      Map<String, Integer> threadNames) {}

  private final Process process;
  private final int port;
  private final long t0;
  private WebSocket ws;

  private ManagerProcess(Process process, int port, long t0) {
    this.process = process;
    this.port = port;
    this.t0 = t0;
  }

  /** Writes the files for {@code units} (services named after them) and starts the jar. */
  static ManagerProcess start(Path dir, String bus, int port, Path jar, List<String> jvmOptions, List<String> units)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder services = new StringBuilder("version: 1\nservices:\n");
    for (String unit : units) {
      services.append("  \"").append(unit.substring(0, unit.length() - ".service".length())).append("\":\n")
          .append("    display_name: \"").append(unit).append("\"\n")
          .append("    description: \"footprint instance\"\n")
          .append("    permissions_required: all\n    status_check_allowed: true\n");
    }
    Files.writeString(dir.resolve("services.yaml"), services);
    Files.writeString(dir.resolve("config.yaml"), "http:\n  host: 127.0.0.1\n  port: " + port
        + "\nsystemd:\n  bus: \"" + bus + "\"\nservices_file: services.yaml\n"
        + "history_file: history.jsonl\ninsight:\n  database: servicemanager.db\nconfig_history:\n  dir: config-history\n"
        + "auth:\n  users_file: users.yaml\n  secret_file: secret.key\nmetrics:\n  public: true\n");
    Files.writeString(dir.resolve("users.yaml"), "users: {}\ntokens:\n  footprint:\n    sha256: \""
        + io.servicemanager.auth.Tokens.sha256Hex(TOKEN) + "\"\n    role: viewer\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "--config", dir.resolve("config.yaml").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("manager.log").toFile());
    long t0 = System.nanoTime();
    return new ManagerProcess(builder.start(), port, t0);
  }

  /** The process's CPU time (user + system) when it first answered healthy: steadier than wall time on a busy machine. */
  private double startCpuMs = Double.NaN;

  /** Milliseconds from the process start until {@code GET /api/health} answered 200. */
  double awaitHealthy() throws Exception {
    long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the manager exited with " + process.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/health").toURL()
            .openConnection();
        c.setConnectTimeout(1000);
        if (c.getResponseCode() == 200) {
          double ms = Stats.ms(System.nanoTime() - t0);
          startCpuMs = ProcessStats.cpuMillis(process.pid());
          return ms;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the manager did not become healthy within 180 s");
  }

  /** One /ws client, as a dashboard left open; returns once its snapshot has arrived. */
  void connectViewer() throws Exception {
    CompletableFuture<Void> snapshot = new CompletableFuture<>();
    ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
              snapshot.complete(null);
            }
            webSocket.request(1);
            return null;
          }
        }).get(30, TimeUnit.SECONDS);
    snapshot.get(30, TimeUnit.SECONDS);
  }

  /** /proc's figures first (the scrape itself allocates), then the JVM's from /metrics. */
  Sample sample(double startMs) throws Exception {
    long pid = process.pid();
    double rss = ProcessStats.rssMiB(pid, "VmRSS:");
    double pss = ProcessStats.smapsMiB(pid, "Pss:");
    double hwm = ProcessStats.rssMiB(pid, "VmHWM:");
    int threads = threads(pid);
    Map<String, Double> m = metrics();
    return new Sample(startMs, startCpuMs, rss, pss, hwm, threads, m.getOrDefault("heap_used", Double.NaN) / MIB,
        m.getOrDefault("heap_committed", Double.NaN) / MIB, m.getOrDefault("metaspace_used", Double.NaN) / MIB,
        m.getOrDefault("nonheap_committed", Double.NaN) / MIB, m.getOrDefault("classes", Double.NaN),
        threadNames(pid));
  }

  private static final double MIB = 1024.0 * 1024.0;

  /** RSS by mapping from /proc/PID/smaps (a file's name, or anonymous memory), the largest first, MiB. */
  String mappingSummary() throws IOException {
    Map<String, Long> kib = new HashMap<>();
    String name = "anon";
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/smaps"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].contains("-") && !f[0].endsWith(":")) {
        name = f.length > 5 ? f[5].substring(f[5].lastIndexOf('/') + 1) : "anon";
      } else if (f[0].equals("Rss:")) {
        kib.merge(name, Long.parseLong(f[1]), Long::sum);
      }
    }
    return String.join(", ", kib.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8).map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1024.0)).toList());
  }

  /**
   * Native Memory Tracking's summary, committed MiB per category ("Java Heap 24, Class 9, …"), when the
   * process runs with {@code -XX:NativeMemoryTracking=summary}: where the resident memory goes.
   */
  String nativeMemorySummary() throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), "VM.native_memory", "summary", "scale=KB").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^[-\\s]*(Total|[A-Z][A-Za-z ]+?):? \\(?reserved=\\d+KB, committed=(\\d+)KB").matcher(out);
    List<String> parts = new ArrayList<>();
    while (m.find()) {
      double mib = Long.parseLong(m.group(2)) / 1024.0;
      if (mib >= 0.05) {
        parts.add(String.format(java.util.Locale.ROOT, "%s %.1f", m.group(1).strip(), mib));
      }
    }
    return parts.isEmpty() ? out.strip() : String.join(", ", parts);
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    return -1;
  }

  /** The process's threads by name, numbers folded ("vert.x-eventloop-thread-#": 2). */
  private static Map<String, Integer> threadNames(long pid) throws IOException {
    Map<String, Integer> names = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          names.merge(Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return names;
  }

  /** Sums of the Micrometer JVM meters in the Prometheus text. */
  private Map<String, Double> metrics() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Map<String, Double> sums = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      boolean heap = line.contains("area=\"heap\"");
      if (line.startsWith("jvm_memory_used_bytes{")) {
        sums.merge(heap ? "heap_used" : "nonheap_used", value, Double::sum);
        if (line.contains("id=\"Metaspace\"")) {
          sums.put("metaspace_used", value);
        }
      } else if (line.startsWith("jvm_memory_committed_bytes{")) {
        sums.merge(heap ? "heap_committed" : "nonheap_committed", value, Double::sum);
      } else if (line.startsWith("jvm_classes_loaded_classes")) {
        sums.put("classes", value);
      }
    }
    return sums;
  }

  @Override
  public void close() throws InterruptedException {
    if (ws != null) {
      ws.abort();
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
