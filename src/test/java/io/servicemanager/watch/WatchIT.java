package io.servicemanager.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.Main;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code service-manager watch} as a user runs it: a separate JVM against a server on real systemd. */
class WatchIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  private final List<Vertx> vertxes = new ArrayList<>();
  private Watch watch;

  @AfterEach
  void close() {
    if (watch != null) {
      watch.process.destroyForcibly();
    }
    vertxes.forEach(v -> v.close().await());
    systemd.systemctl("stop", "sleeper.service");
  }

  /** The watch JVM; its stdout and stderr lines are queued as they come. */
  static final class Watch {
    final Process process;
    final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> err = new LinkedBlockingQueue<>();
    final List<String> seenOut = Collections.synchronizedList(new ArrayList<>());
    final List<String> seenErr = Collections.synchronizedList(new ArrayList<>());
    final List<JsonObject> unmatched = new ArrayList<>();

    Watch(String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "watch"));
      command.addAll(List.of(args));
      process = new ProcessBuilder(command).start();
      pump(process.getInputStream(), out);
      pump(process.getErrorStream(), err);
    }

    private static void pump(InputStream stream, LinkedBlockingQueue<String> lines) {
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * The first stdout line not awaited before that matches; every line must be one JSON object.
     * Lines that did not match stay for later awaits, so the order between kinds does not matter.
     */
    JsonObject awaitFrame(Predicate<JsonObject> matching) throws InterruptedException {
      for (var it = unmatched.iterator(); it.hasNext(); ) {
        JsonObject frame = it.next();
        if (matching.test(frame)) {
          it.remove();
          return frame;
        }
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        String line = out.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no matching line on stdout within " + WAIT + "; stdout: " + seenOut + "; stderr: " + seenErr + err);
        }
        seenOut.add(line);
        JsonObject frame = new JsonObject(line);
        if (matching.test(frame)) {
          return frame;
        }
        unmatched.add(frame);
      }
    }

    JsonObject awaitStatus(String service, String status) throws InterruptedException {
      return awaitFrame(f -> "status".equals(f.getString("type"))
          && service.equals(f.getJsonObject("service").getString("name"))
          && status.equals(f.getJsonObject("service").getString("status")));
    }

    String awaitLog(String fragment) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        String line = err.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no stderr line with \"" + fragment + "\" within " + WAIT + "; stderr: " + seenErr);
        }
        seenErr.add(line);
        if (line.contains(fragment)) {
          return line;
        }
      }
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("watch exited; stderr: %s%s", seenErr, err).isTrue();
      return process.exitValue();
    }

    void interrupt() throws Exception {
      // What Ctrl-C in a terminal sends.
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
    }
  }

  /** The viewer token the watch commands present: /ws needs credentials. */
  static final String TOKEN = "watch-it-token";

  Application serve(int port) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    AppConfig base = TestConfigs.forBus(systemd.busAddress());
    AppConfig config = new AppConfig(base.httpHost(), port, base.bus(), base.servicesFile(), base.historyFile());
    TestConfigs.writeUsers(config.auth().usersFile(), "tokens:", "  watcher:",
        "    sha256: \"" + io.servicemanager.auth.Tokens.sha256Hex(TOKEN) + "\"", "    role: viewer");
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true)));
    return Application.deploy(vertx, config, services).await();
  }

  @Test
  @DisplayName("Prints the snapshot, then a status line when a unit changes and an operation line when an action finishes, each one JSON object")
  void streamsStatusAndOperations() throws Exception {
    Application app = serve(0);
    watch = new Watch("--url", "http://127.0.0.1:" + app.httpPort(), "--token", TOKEN);
    watch.awaitLog("connected to ws://127.0.0.1:" + app.httpPort() + "/ws");
    JsonObject snapshot = watch.awaitFrame(f -> "snapshot".equals(f.getString("type")));
    assertThat(snapshot.getJsonArray("services").getJsonObject(0).getString("name")).isEqualTo("sleeper");

    systemd.systemctl("start", "sleeper.service");
    JsonObject status = watch.awaitStatus("sleeper", "active");
    assertThat(status.getJsonObject("service").getString("unit")).isEqualTo("sleeper.service");

    var response = TestConfigs.client(app.vertx())
        .request(HttpMethod.POST, app.httpPort(), "127.0.0.1", "/api/services/sleeper/stop").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject operation = watch.awaitFrame(f -> "operation".equals(f.getString("type")));
    assertThat(operation.getString("service")).isEqualTo("sleeper");
    assertThat(operation.getString("action")).isEqualTo("stop");
    assertThat(operation.getString("result")).isEqualTo("done");
    watch.awaitStatus("sleeper", "inactive");
  }

  @Test
  @DisplayName("Reconnects on its own when the server restarts, with a fresh snapshot, and keeps streaming; Ctrl-C then ends it cleanly")
  void reconnectsAfterServerRestart() throws Exception {
    Application first = serve(0);
    int port = first.httpPort();
    watch = new Watch("--url", "ws://127.0.0.1:" + port + "/ws", "--token", TOKEN);
    watch.awaitLog("connected to");
    watch.awaitFrame(f -> "snapshot".equals(f.getString("type")));

    first.vertx().close().await();
    watch.awaitLog("connection to ws://127.0.0.1:" + port + "/ws lost");
    serve(port);
    watch.awaitLog("connected to ws://127.0.0.1:" + port + "/ws");
    watch.awaitFrame(f -> "snapshot".equals(f.getString("type")));
    systemd.systemctl("start", "sleeper.service");
    watch.awaitStatus("sleeper", "active");

    watch.interrupt();
    assertThat(watch.awaitExit()).as("128 + SIGINT, after its shutdown hook").isEqualTo(130);
    watch.awaitLog("watch: stopped");
  }

  @Test
  @DisplayName("Replaces a connection that went silent without closing (a vanished server, a cut network): nothing read for 10 s despite its pings")
  void replacesASilentConnection() throws Exception {
    try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> held = Collections.synchronizedList(new ArrayList<>());
      Thread silent = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket socket = server.accept();
            held.add(socket);
            acceptThenFallSilent(socket);
          }
        } catch (IOException e) {
          // the test is over
        }
      }, "silent-server");
      silent.setDaemon(true);
      silent.start();
      int port = server.getLocalPort();
      watch = new Watch("--url", "ws://127.0.0.1:" + port + "/ws", "--token", TOKEN);
      watch.awaitLog("connected to");
      watch.awaitFrame(f -> "snapshot".equals(f.getString("type")));
      long silentSince = System.nanoTime();
      watch.awaitLog("connection to ws://127.0.0.1:" + port + "/ws lost");
      assertThat(Duration.ofNanos(System.nanoTime() - silentSince))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(io.servicemanager.watch.FeedWatcher.READ_IDLE_SECONDS - 1));
      watch.awaitLog("connected to");
      for (java.net.Socket socket : held) {
        socket.close();
      }
    }
  }

  /** A WebSocket upgrade answered by hand and a snapshot frame, then nothing: no pong, no close. */
  private static void acceptThenFallSilent(java.net.Socket socket) throws IOException {
    var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String key = null;
    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
        key = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    String accept;
    try {
      accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] snapshot = "{\"type\":\"snapshot\",\"services\":[]}".getBytes(StandardCharsets.UTF_8);
    var out = socket.getOutputStream();
    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(new byte[] {(byte) 0x81, (byte) snapshot.length});
    out.write(snapshot);
    out.flush();
  }

  @Test
  @DisplayName("Keeps trying while no server listens, backing off, and connects once one does")
  void waitsForTheServer() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    watch = new Watch("--url", "http://127.0.0.1:" + port, "--token", TOKEN);
    assertThat(watch.awaitLog("cannot connect to")).endsWith("reconnecting in 0.5 s");
    assertThat(watch.awaitLog("cannot connect to")).endsWith("reconnecting in 1.0 s");
    serve(port);
    watch.awaitLog("connected to");
    watch.awaitFrame(f -> "snapshot".equals(f.getString("type")));
  }

  @Test
  @DisplayName("Sends --token as a Bearer credential and prints each frame unchanged on a single line")
  void bearerTokenAndOneLinePerFrame() throws Exception {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    AtomicReference<String> authorization = new AtomicReference<>();
    String pretty = "{\n  \"type\" : \"status\",\n  \"service\" : {\"name\": \"ünïcode ✓\", \"status\": \"active\"}\n}";
    HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
      authorization.set(ws.headers().get("Authorization"));
      ws.writeTextMessage(pretty);
    }).listen(0, "127.0.0.1").await();
    watch = new Watch("--url", "http://127.0.0.1:" + server.actualPort(), "--token", "s3cr3t-T0ken");
    JsonObject frame = watch.awaitFrame(f -> true);
    assertThat(frame).isEqualTo(new JsonObject(pretty));
    assertThat(watch.seenOut).containsExactly(new JsonObject(pretty).encode());
    assertThat(authorization.get()).isEqualTo("Bearer s3cr3t-T0ken");
  }

  @Test
  @DisplayName("Gives up with exit status 1 and says why when the server refuses the upgrade (401: the token)")
  void refusedUpgradeEnds() throws Exception {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(401).end())
        .listen(0, "127.0.0.1").await();
    watch = new Watch("--url", "http://127.0.0.1:" + server.actualPort(), "--token", "wrong");
    assertThat(watch.awaitExit()).isEqualTo(1);
    assertThat(watch.awaitLog("refused")).contains("HTTP 401").contains("check --token");
  }

  @Test
  @DisplayName("A bad URL or token exits with status 2 and a message that says what is expected")
  void badArguments() throws Exception {
    watch = new Watch("--url", "ftp://127.0.0.1/ws");
    assertThat(watch.awaitExit()).isEqualTo(2);
    assertThat(watch.awaitLog("--url must be")).contains("http(s)://HOST[:PORT]").contains("unsupported scheme ftp");
    watch = new Watch("--url", "http://127.0.0.1:1", "--token", "two words");
    assertThat(watch.awaitExit()).isEqualTo(2);
    watch.awaitLog("--token must be printable ASCII without spaces");
  }
}
