package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Cockpit's footprint for one session, for comparison: Debian's {@code cockpit-ws} with
 * {@code --local-session=cockpit-bridge} (one session, no PAM login: the bridge runs as the caller),
 * on the sandbox's bus as its session bus. One WebSocket opens the session as the web page does
 * ({@code /cockpit/socket}, protocol {@code cockpit1}, {@code init}), then a {@code dbus-json3}
 * channel to systemd that subscribes to its signals and lists the units, as Cockpit's services page
 * does. Then the RSS of cockpit-ws and of its cockpit-bridge.
 */
final class CockpitSession implements AutoCloseable {
  static final Path COCKPIT_WS = Path.of("/usr/lib/cockpit/cockpit-ws");

  record Result(double wsMiB, double bridgeMiB, int units) {
    double totalMiB() {
      return wsMiB + bridgeMiB;
    }
  }

  private final Process ws;
  private WebSocket socket;

  private CockpitSession(Process ws) {
    this.ws = ws;
  }

  static CockpitSession start(SystemdSandbox sandbox, int port, Path log) throws IOException {
    if (!Files.isExecutable(COCKPIT_WS) || !Files.isExecutable(Path.of("/usr/bin/cockpit-bridge"))) {
      throw new IllegalStateException("cockpit-ws / cockpit-bridge are not installed "
          + "(scripts/bench-footprint installs Debian's packages when missing)");
    }
    ProcessBuilder builder = new ProcessBuilder(COCKPIT_WS.toString(), "--local-session=cockpit-bridge",
        "--address", "127.0.0.1", "--port", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(sandbox.clientEnvironment());
    builder.environment().put("DBUS_SESSION_BUS_ADDRESS", sandbox.busAddress());
    return new CockpitSession(builder.start());
  }

  /** Opens the session, waits until systemd's units are listed, settles, then reads the RSS. */
  Result measure(int port, int settleSeconds) throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    CompletableFuture<Integer> listed = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          String frame = partial.toString();
          partial.setLength(0);
          if (frame.startsWith("\n") && frame.contains("\"command\":\"init\"")) {
            ready.complete(null);
          } else if (frame.startsWith("1\n") && frame.contains("\"reply\"") && frame.contains("\"id\":\"1\"")) {
            listed.complete(count(frame, ".service"));
          } else if (frame.startsWith("\n") && frame.contains("\"problem\"")) {
            listed.completeExceptionally(new IllegalStateException("cockpit: " + frame.strip()));
          }
        }
        webSocket.request(1);
        return null;
      }
    };
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = URI.create("ws://127.0.0.1:" + port + "/cockpit/socket");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (socket == null) {
      try {
        socket = http.newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + port)
            .subprotocols("cockpit1").buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (!ws.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("cockpit-ws did not accept a session", e);
        }
        Thread.sleep(100);
      }
    }
    ready.get(30, TimeUnit.SECONDS);
    socket.sendText("\n{\"command\":\"init\",\"version\":1,\"host\":\"localhost\"}", true).get();
    socket.sendText("\n{\"command\":\"open\",\"channel\":\"1\",\"payload\":\"dbus-json3\",\"bus\":\"session\","
        + "\"name\":\"org.freedesktop.systemd1\"}", true).get();
    socket.sendText("1\n{\"add-match\":{\"path_namespace\":\"/org/freedesktop/systemd1\"}}", true).get();
    socket.sendText("1\n{\"call\":[\"/org/freedesktop/systemd1\",\"org.freedesktop.systemd1.Manager\",\"Subscribe\",[]],"
        + "\"id\":\"s\"}", true).get();
    socket.sendText("1\n{\"call\":[\"/org/freedesktop/systemd1\",\"org.freedesktop.systemd1.Manager\",\"ListUnits\",[]],"
        + "\"id\":\"1\"}", true).get();
    int units = listed.get(30, TimeUnit.SECONDS);
    Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
    double bridge = 0;
    for (long child : children(ws.pid())) {
      bridge += ProcessStats.rssMiB(child, "VmRSS:");
    }
    return new Result(ProcessStats.rssMiB(ws.pid(), "VmRSS:"), bridge, units);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static List<Long> children(long pid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  @Override
  public void close() throws InterruptedException {
    if (socket != null) {
      socket.abort();
    }
    List<ProcessHandle> all = new ArrayList<>();
    ws.descendants().forEach(all::add);
    ws.destroy();
    all.forEach(ProcessHandle::destroy);
    ws.waitFor(10, TimeUnit.SECONDS);
    for (ProcessHandle p : all) {
      p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
    }
  }
}
