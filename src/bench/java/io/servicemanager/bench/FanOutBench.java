package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;

/**
 * Fan-out (issue 5): N concurrent /ws clients each receive one status change. Per change, the time
 * from the StartUnit/StopUnit call until the last of the N clients has the status frame; p50/p99
 * over the changes; the server's RSS and CPU. The server is the manager's own {@code main} in a JVM
 * of its own (so its RSS and CPU are its own), started as deployed: config.yaml, services.yaml, the
 * JVM options of {@code BENCH_SERVER_JVM} (default: those the shipped unit and image use). Clients
 * are added level by level (1 000, then 5 000, then 10 000) on one Vert.x instance in this JVM,
 * spread over one event loop per core, and share the machine's cores with the server. Run: {@code scripts/bench-fanout}.
 */
public final class FanOutBench {
  private static final String UNIT = "fan.service";
  private static final String STARTED = "\"status\":\"active\"";
  private static final String STOPPED = "\"status\":\"inactive\"";
  /** The clients come in as a viewer token, as a monitoring tool would (a token costs one SHA-256). */
  private static final String TOKEN = "fan-out-bench-token";

  private FanOutBench() {}

  public static void main(String[] args) throws Exception {
    int[] levels = Arrays.stream(env("BENCH_FANOUT_CLIENTS", "1000,5000,10000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int changes = Integer.parseInt(env("BENCH_FANOUT_CHANGES", "20"));
    int warmup = Integer.parseInt(env("BENCH_FANOUT_WARMUP", "10"));
    boolean verbose = !env("BENCH_FANOUT_VERBOSE", "").isEmpty();
    List<String> serverJvm = List.of(env("BENCH_SERVER_JVM", "@conf/jvm.options").split("\\s+"));
    // BENCH_SERVER_JAR: a packaged jar (another build's, for a side-by-side run) instead of this class path.
    String serverJar = env("BENCH_SERVER_JAR", "");
    Path dir = Files.createTempDirectory("sm-fanout-");
    StringBuilder md = new StringBuilder();
    try (SystemdSandbox sandbox = SystemdSandbox.start(Map.of(UNIT,
        "[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/sleep infinity\n"))) {
      // BENCH_FANOUT_PORT: a fixed port (e.g. inside a range reserved for this run); default a free one.
      int port = env("BENCH_FANOUT_PORT", "").isEmpty() ? freePort() : Integer.parseInt(env("BENCH_FANOUT_PORT", ""));
      Files.writeString(dir.resolve("services.yaml"), """
          version: 1
          services:
            fan:
              display_name: "Fan-out"
              description: "one unit, many watchers"
              permissions_required: all
              status_check_allowed: true
          """);
      Files.writeString(dir.resolve("config.yaml"), "http:\n  host: 127.0.0.1\n  port: " + port
          // A ping round is a write to every socket and a pong read from each, as dear as a change:
          // none may fall among the measured changes of one build and not of the other.
          + "\n  idle_timeout_seconds: 3600\n  ws_ping_interval_seconds: 1800"
          + "\nsystemd:\n  bus: \"" + sandbox.busAddress() + "\"\nservices_file: services.yaml\n"
          + "history_file: history.jsonl\ninsight:\n  database: servicemanager.db\nconfig_history:\n  dir: config-history\nauth:\n  users_file: users.yaml\n  secret_file: secret.key\n");
      Files.writeString(dir.resolve("users.yaml"), "users: {}\ntokens:\n  fan-out:\n    sha256: \""
          + io.servicemanager.auth.Tokens.sha256Hex(TOKEN) + "\"\n    role: viewer\n");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(serverJvm.stream().filter(s -> !s.isBlank()).toList());
      command.addAll(serverJar.isEmpty() ? List.of("-cp", System.getProperty("java.class.path"), "io.servicemanager.Main")
          : List.of("-jar", Path.of(serverJar).toAbsolutePath().toString()));
      command.addAll(List.of("--config", dir.resolve("config.yaml").toString()));
      Process server = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("server.log").toFile()).start();
      Vertx vertx = Vertx.vertx();
      DBusConnection caller = DBusConnectionBuilder.forAddress(sandbox.busAddress()).withShared(false).build();
      try {
        awaitHealthy(port, server);
        Manager manager = caller.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(levels[levels.length - 1] + 100));
        boolean nio = !"vertx".equals(env("BENCH_FANOUT_CLIENT", "nio"));
        Watchers watchers = new Watchers(levels[levels.length - 1]);
        NioWatchers lean = nio ? new NioWatchers(levels[levels.length - 1]) : null;
        md.append("### Fan-out: one status change to N /ws clients (").append(changes)
            .append(" changes per level after ").append(warmup).append(" warm-up; clients: ")
            .append(nio ? "plain NIO sockets on one selector thread per core" : "Vert.x WebSocket clients on one event loop per core")
            .append("; server: `")
            .append(String.join(" ", serverJvm)).append(serverJar.isEmpty() ? "` on this build's classes" : "` -jar " + serverJar)
            .append(")\n\n")
            .append("| clients | last client has it: p50 | p99 | max | median client p50 | server RSS | server peak RSS | server CPU per change | ↳ user + sys | server CPU per client per change | clients' CPU per change | load (1 min) |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int level : levels) {
          if (nio) {
            lean.connect(port, TOKEN, level);
          } else {
            watchers.connect(vertx, client, port, level);
          }
          List<Long> last = new ArrayList<>();
          List<Long> medians = new ArrayList<>();
          long cpuBefore = 0;
          long[] splitBefore = {0, 0};
          long clientCpuBefore = 0;
          for (int i = 0; i < warmup + changes; i++) {
            if (i == warmup) {
              cpuBefore = ProcessStats.cpuMillis(server.pid());
              splitBefore = ProcessStats.userSysMillis(server.pid());
              clientCpuBefore = ProcessStats.jvmCpuNanos();
            }
            boolean start = i % 2 == 0;
            Trigger trigger = () -> {
              if (start) {
                manager.StartUnit(UNIT, "replace");
              } else {
                manager.StopUnit(UNIT, "replace");
              }
            };
            long[] arrivals = nio ? lean.change(start ? STARTED : STOPPED, trigger)
                : watchers.change(start ? STARTED : STOPPED, trigger);
            if (verbose) {
              System.err.printf(Locale.ROOT, "bench: %s %,d clients, change %d (%s): first %.1f ms, median %.1f ms, last %.1f ms%n",
                  java.time.LocalTime.now(), level, i, start ? "start" : "stop", arrivals[0] / 1e6, arrivals[arrivals.length / 2] / 1e6,
                  arrivals[arrivals.length - 1] / 1e6);
            }
            if (i >= warmup) {
              last.add(arrivals[arrivals.length - 1]);
              medians.add(arrivals[arrivals.length / 2]);
            }
            Thread.sleep(200);
          }
          long cpuMs = ProcessStats.cpuMillis(server.pid()) - cpuBefore;
          long[] split = ProcessStats.userSysMillis(server.pid());
          double clientCpuMs = (ProcessStats.jvmCpuNanos() - clientCpuBefore) / 1e6;
          Stats s = Stats.of(last);
          Stats m = Stats.of(medians);
          md.append(String.format(Locale.ROOT, "| %,d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f MiB | %.0f MiB | %.1f ms | %.1f + %.1f ms | %.2f µs | %.1f ms | %.1f |%n",
              level, s.p50(), s.p99(), s.max(), m.p50(), ProcessStats.rssMiB(server.pid(), "VmRSS:"),
              ProcessStats.rssMiB(server.pid(), "VmHWM:"), (double) cpuMs / changes,
              (double) (split[0] - splitBefore[0]) / changes, (double) (split[1] - splitBefore[1]) / changes,
              cpuMs * 1000.0 / changes / level, clientCpuMs / changes, ProcessStats.loadAverage()));
          System.err.println("bench: " + level + " clients done");
        }
        md.append(String.format(Locale.ROOT,
            "%nTarget (10 000 clients): last client ≤ 250 ms p99 and server RSS ≤ 512 MB. "
                + "Timed from just before StartUnit/StopUnit until the last client's frame arrived, so "
                + "systemd's own work is included; the clients run on the same 2 cores as the server.%n"));
        System.out.println(md);
        Path out = Path.of("target", "bench-fanout.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
      } finally {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        caller.disconnect();
        vertx.close().await();
      }
    }
    System.exit(0);
  }

  interface Trigger {
    void fire() throws Exception;
  }

  /** The N clients; each notes when its first frame with the awaited status arrives. */
  private static final class Watchers {
    private final List<WebSocket> sockets = new ArrayList<>();
    private final Arrivals arrivals;

    Watchers(int capacity) {
      arrivals = new Arrivals(capacity);
    }

    /** One context per client event loop; each client's socket lives on the loop it was opened from. */
    private final List<Context> loops = new ArrayList<>();

    void connect(Vertx vertx, WebSocketClient client, int port, int total) {
      if (loops.isEmpty()) {
        int n = Math.max(1, Runtime.getRuntime().availableProcessors());
        vertx.deployVerticle(() -> new VerticleBase() {
          @Override
          public Future<?> start() {
            synchronized (loops) {
              loops.add(context);
            }
            return Future.succeededFuture();
          }
        }, new DeploymentOptions().setInstances(n)).await();
      }
      while (sockets.size() < total) {
        int batch = Math.min(250, total - sockets.size());
        List<Future<WebSocket>> connecting = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          int index = sockets.size() + i;
          // Spread over the client event loops, as 10 000 real clients would be over their own
          // machines: a socket lives on the loop it was opened from.
          Context loop = loops.get(index % loops.size());
          Promise<WebSocket> connected = Promise.promise();
          loop.runOnContext(v -> open(client, port, index).onComplete(connected));
          connecting.add(connected.future());
        }
        sockets.addAll(Future.all(connecting).await().list());
      }
    }

    private Future<WebSocket> open(WebSocketClient client, int port, int index) {
      ClientWebSocket ws = client.webSocket();
      ws.textMessageHandler(text -> {
        String want = arrivals.awaited();
        // A cheap test on the raw text: decoding 10 000 frames would cost the clients more
        // than the server's work being measured.
        if (want != null && text.startsWith("{\"type\":\"status\"") && text.contains(want)) {
          arrivals.seen(index);
        }
      });
      return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
          .addHeader("Authorization", "Bearer " + TOKEN));
    }

    /** Sorted arrival delays (ns after the trigger) of every client, for the awaited status. */
    long[] change(String status, Trigger trigger) throws Exception {
      return arrivals.change(sockets.size(), status, trigger);
    }
  }

  private static void awaitHealthy(int port, Process server) throws Exception {
    // A saturated shared machine has taken over a minute to start the server.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server exited with " + server.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/health").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the server did not become healthy within 180 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
