package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and dead clients cannot hold connections (slowloris), on a real systemd, with small limits
 * from configuration: a connection that sends no head, a head or body a byte at a time, or nothing
 * after its answer is closed; a /ws peer that stops answering pings is closed, one that answers
 * stays. Each wait is bounded far above the configured time (a shared, busy machine), and far below
 * forever, which is what these clients got before.
 */
class SlowClientsIT {
  /** Head 2 s, body 2 s, keep-alive idle 6 s, /ws ping every 1 s. */
  static final AppConfig.HttpLimits LIMITS = new AppConfig.HttpLimits(2, 2, 6, 1);
  static final Duration BOUND = Duration.ofSeconds(30);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  static Vertx vertx;
  static Application app;
  static ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.limits = LIMITS);
    app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.RESTART, true)))).await();
  }

  @AfterAll
  static void stop() {
    trickler.shutdownNow();
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", app.httpPort()), 10_000);
    socket.setSoTimeout((int) BOUND.toMillis());
    return socket;
  }

  /** Everything the server sends until it closes; a read timeout (still open after BOUND) fails. */
  static String readUntilClosed(Socket socket) throws IOException {
    try {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketException e) {
      return ""; // reset: closed too
    }
  }

  /** Writes one byte of {@code text} every 300 ms, so the connection is never idle. */
  static void trickle(Socket socket, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int[] next = {0};
    trickler.scheduleAtFixedRate(() -> {
      try {
        if (next[0] < bytes.length) {
          socket.getOutputStream().write(bytes[next[0]++]);
        }
      } catch (IOException e) {
        throw new RuntimeException(e); // closed: stops the schedule
      }
    }, 0, 300, TimeUnit.MILLISECONDS);
  }

  @Test
  @DisplayName("A SockJS xhr-streaming answer outlives idle_timeout_seconds: its heartbeats come at most half that apart")
  void sockJsStreamKeptAliveByHeartbeats() throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(("POST /eventbus/000/heartbeat-test/xhr_streaming HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: " + TestConfigs.operatorBasic() + "\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      long until = System.nanoTime() + Duration.ofSeconds(LIMITS.idleTimeoutSeconds() + 4).toNanos();
      socket.setSoTimeout(1_000);
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[8192];
      while (System.nanoTime() < until) {
        int n;
        try {
          n = socket.getInputStream().read(buffer); // blocks for data, at most a second
        } catch (java.net.SocketTimeoutException quiet) {
          continue;
        }
        assertThat(n).as("the stream was closed after %s", received.length() > 200
            ? received.substring(received.length() - 200) : received).isNotNegative();
        received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
      String afterOpen = received.substring(received.indexOf("\no\n") + 3);
      assertThat(afterOpen).as("heartbeat frames after the open frame").contains("h\n");
    }
  }

  @Test
  @DisplayName("A connection that sends nothing is closed after request_head_timeout_seconds")
  void silentConnection() throws IOException {
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      assertThat(readUntilClosed(socket)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
  }

  @Test
  @DisplayName("A head sent a byte at a time (never idle) is closed after request_head_timeout_seconds")
  void trickledHead() throws IOException {
    try (Socket socket = connect()) {
      trickle(socket, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(10_000));
      assertThat(readUntilClosed(socket)).isEmpty();
    }
  }

  @Test
  @DisplayName("A body sent a byte at a time is answered 408 request_timeout and closed after request_body_timeout_seconds")
  void trickledBody() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 5000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
      trickle(socket, "\"user\": \"" + "u".repeat(4000));
      String answer = readUntilClosed(socket);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
      JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(body.getString("error")).isEqualTo("request_timeout");
      assertThat(body.getString("message")).isNotBlank();
    }
  }

  @Test
  @DisplayName("A kept-alive connection silent after its answer is closed after idle_timeout_seconds")
  void idleKeepAlive() throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = readUntilClosed(socket);
      assertThat(answer).as("answered, then closed").startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  @DisplayName("After an answer, a next head sent a byte at a time is closed too (within idle_timeout_seconds)")
  void trickledSecondHead() throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      trickle(socket, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(10_000));
      String answer = readUntilClosed(socket);
      assertThat(answer).startsWith("HTTP/1.1 200 ");
      assertThat(answer.split("HTTP/1.1 ", -1)).as("only the first request was answered").hasSize(2);
    }
  }

  @Test
  @DisplayName("A /ws peer that stops answering pings is closed; one that answers them stays open")
  void deadWebSocketPeer() throws IOException {
    try (WsClient live = WsClient.connect(vertx, app.httpPort()); Socket dead = connect()) {
      dead.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + app.httpPort() + "\r\n"
          + "Authorization: " + TestConfigs.operatorBasic() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      DataInputStream in = new DataInputStream(dead.getInputStream());
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101 ");
      int pings = 0;
      Integer closeCode = null;
      try {
        while (true) {
          int first = in.readUnsignedByte();
          int opcode = first & 0x0f;
          long length = in.readUnsignedByte() & 0x7f;
          if (length == 126) {
            length = in.readUnsignedShort();
          } else if (length == 127) {
            length = in.readLong();
          }
          byte[] payload = in.readNBytes((int) length);
          if (opcode == 0x9) {
            pings++; // never answered
          } else if (opcode == 0x8) {
            closeCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
          }
        }
      } catch (EOFException | SocketException e) {
        // closed by the server: what this test waits for (a read timeout would fail it instead)
      }
      assertThat(pings).as("pinged before being closed").isPositive();
      assertThat(closeCode).as("told why").isEqualTo(1001);
      assertThat(live.socket().isClosed()).as("a peer answering pings stays open").isFalse();
      live.send(new JsonObject().put("type", "ping"));
      assertThat(live.awaitType("pong", BOUND)).isNotNull();
    }
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
