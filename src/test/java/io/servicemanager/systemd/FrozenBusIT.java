package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bus that accepts connections but never answers the D-Bus handshake, as systemd's bus did after a
 * dbus-daemon kill: connecting gives up within the bound, the back-off keeps trying, health says
 * DOWN, and a real bus in its place is found.
 */
class FrozenBusIT {
  private static final Duration BOUND = Duration.ofSeconds(1);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("sleeper.service", "[Service]\nExecStart=/bin/sleep 400\n");

  private Vertx vertx;
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("frozen-bus-"); // short: a socket path has at most 107 bytes
  }

  @AfterEach
  void tearDown() throws IOException {
    vertx.close().await();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** Accepts every connection and reads what the client sends, never answering it. */
  static final class FrozenBus implements AutoCloseable {
    final Path socket;
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    private final Semaphore connections = new Semaphore(0);
    private final Semaphore hangUps = new Semaphore(0);

    FrozenBus(Path socket) throws IOException {
      this.socket = socket;
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread acceptor = new Thread(this::acceptAll, "frozen-bus");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "unix:path=" + socket;
    }

    private void acceptAll() {
      try {
        while (true) {
          SocketChannel client = server.accept();
          accepted.add(client);
          connections.release();
          Thread reader = new Thread(() -> readUntilHangUp(client), "frozen-bus-client");
          reader.setDaemon(true);
          reader.start();
        }
      } catch (IOException e) {
        // closed by the test
      }
    }

    private void readUntilHangUp(SocketChannel client) {
      ByteBuffer buffer = ByteBuffer.allocate(256);
      try {
        while (client.read(buffer.clear()) >= 0) {
          // the handshake's bytes: never answered
        }
        hangUps.release();
      } catch (IOException e) {
        // closed by the test
      }
    }

    /** Whether {@code n} connections were accepted within {@code timeout}. */
    boolean accepted(int n, Duration timeout) throws InterruptedException {
      return connections.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether clients closed {@code n} connections within {@code timeout}. */
    boolean hungUp(int n, Duration timeout) throws InterruptedException {
      return hangUps.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (SocketChannel c : accepted) {
        c.close();
      }
      Files.deleteIfExists(socket);
    }
  }

  private static final SystemdEvents IGNORED = new SystemdEvents() {
    @Override
    public void propertiesChanged(String path, Map<String, Object> changed) {}

    @Override
    public void disconnected(String reason) {}
  };

  @Test
  @DisplayName("A connect to a bus that never answers the handshake fails within the bound and closes what it opened")
  void connectGivesUp() throws Exception {
    try (FrozenBus frozen = new FrozenBus(dir.resolve("bus"))) {
      DbusSystemdClient client = new DbusSystemdClient(vertx, frozen.address(), BOUND);
      long started = System.nanoTime();

      Throwable failure = client.connect(IGNORED).timeout(60, TimeUnit.SECONDS)
          .map(v -> (Throwable) null).otherwise(e -> e).await();

      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(failure).as("the connect fails").isNotNull();
      assertThat(failure.getMessage()).as("our bound, not the test's patience").contains("within " + BOUND.toMillis() + " ms");
      assertThat(tookMs).as("generous for a loaded machine, far below a hang").isBetween(BOUND.toMillis() - 50, 15_000L);
      assertThat(client.isConnected()).isFalse();
      assertThat(frozen.accepted(1, Duration.ZERO)).as("it reached the handshake").isTrue();
      assertThat(frozen.hungUp(1, Duration.ofSeconds(15))).as("the half-made connection is closed").isTrue();
    }
  }

  @Test
  @DisplayName("A client closed while it is still connecting ends up closed: the connection made meanwhile is not used")
  void closedWhileConnecting() {
    DbusSystemdClient client = new DbusSystemdClient(vertx, systemd.busAddress(), Duration.ofSeconds(30));

    Future<Void> attempt = client.connect(IGNORED);
    client.close().await();

    Throwable failure = attempt.timeout(60, TimeUnit.SECONDS).map(v -> (Throwable) null).otherwise(e -> e).await();
    assertThat(failure).as("the attempt does not count as connected").isNotNull();
    assertThat(failure.getMessage()).contains("closed while connecting");
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  @DisplayName("On a frozen bus the back-off keeps trying and health says DOWN; a real bus in its place is found and actions work")
  void keepsTryingAndRecovers() throws Exception {
    Path socket = dir.resolve("bus");
    FrozenBus frozen = new FrozenBus(socket);
    try {
      AppConfig base = TestConfigs.forBus(frozen.address());
      Watched actions = new Watched(new DbusSystemdClient(vertx, frozen.address(), BOUND));
      Application app = Application.deploy(vertx, base, new ServiceCatalogue(List.of(
              new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true))),
          new DbusSystemdClient(vertx, frozen.address(), BOUND), actions).timeout(60, TimeUnit.SECONDS).await();
      WebClient http = TestConfigs.client(vertx);

      // Status and actions each keep trying: well past their first attempt.
      assertThat(frozen.accepted(6, Duration.ofSeconds(60))).as("attempts go on after the first").isTrue();
      var down = http.get(app.httpPort(), "127.0.0.1", "/api/health").send().await();
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");

      Promise<Void> up = Promise.promise();
      vertx.eventBus().<JsonObject>consumer(Addresses.BUS_STATE, m -> {
        if (m.body().getBoolean("connected", false)) {
          up.tryComplete();
        }
      }).completion().await();
      // The bus comes back where it was.
      frozen.close();
      Files.createSymbolicLink(socket, Path.of(systemd.busAddress().substring("unix:path=".length())));

      up.future().timeout(60, TimeUnit.SECONDS).await();
      var health = http.get(app.httpPort(), "127.0.0.1", "/api/health").send().await();
      assertThat(health.statusCode()).as(health.bodyAsString()).isEqualTo(200);
      assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
      // The action connection retries on a back-off of its own: wait for it too.
      actions.connected.future().timeout(60, TimeUnit.SECONDS).await();
      JsonObject started = vertx.eventBus().<JsonObject>request(Addresses.ACTION, new JsonObject()
              .put("service", "sleeper").put("action", "start").put("identity", TestConfigs.operatorIdentity()),
              new DeliveryOptions().setSendTimeout(60_000))
          .map(m -> m.body()).await();
      assertThat(started.getString("status")).as(started.encode()).isEqualTo("success");
      assertThat(systemd.activeState("sleeper.service")).isEqualTo("active");
    } finally {
      frozen.close();
    }
  }

  /** The real client, telling when a connect first succeeded. */
  static final class Watched implements SystemdClient {
    final Promise<Void> connected = Promise.promise();
    private final SystemdClient real;

    Watched(SystemdClient real) {
      this.real = real;
    }

    @Override
    public Future<Void> connect(SystemdEvents events) {
      return real.connect(events).onSuccess(v -> connected.tryComplete());
    }

    @Override
    public boolean isConnected() {
      return real.isConnected();
    }

    @Override
    public Future<List<UnitSnapshot>> readStates(List<String> units) {
      return real.readStates(units);
    }

    @Override
    public Future<List<UnitSnapshot>> readDetails(List<UnitSnapshot> states) {
      return real.readDetails(states);
    }

    @Override
    public Future<JobOutcome> runJob(String unit, Action action, Duration settle) {
      return real.runJob(unit, action, settle);
    }

    @Override
    public Future<List<UnitInfo>> listServices() {
      return real.listServices();
    }

    @Override
    public Future<Void> close() {
      return real.close();
    }
  }
}
