package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Application;
import io.servicemanager.auth.Tokens;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.status.ServiceView;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.servicemanager.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /ws?snapshot=gzip} on a real systemd with more units than one detail chunk: the opening
 * snapshot as one gzip binary frame that decodes to the text snapshot's views, per identity, and
 * every later frame as text, unchanged.
 */
class CompactSnapshotIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int UNITS = 150;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/scale@.service")
      .withUnit("flip.service", "[Service]\nExecStart=/bin/sleep 400\n");

  static Vertx vertx;
  static Application app;
  static String token;

  @BeforeAll
  static void deploy() {
    List<String> start = new ArrayList<>(List.of("start"));
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 1; i <= UNITS; i++) {
      start.add("scale@" + i + ".service");
      services.add(new ServiceDefinition("s-" + i, "scale@" + i + ".service", "S " + i, "instance " + i,
          Permission.ALL, true));
    }
    services.add(new ServiceDefinition("flip", "flip.service", "Flip", "started and stopped by the tests",
        Permission.ALL, true));
    systemd.sandbox().systemctlOk(start.toArray(String[]::new));
    vertx = Vertx.vertx();
    token = Tokens.newToken();
    AppConfig config = TestConfigs.forBus(systemd.sandbox().busAddress());
    // One identity that sees two services: one in the first detail chunk, one in a later chunk.
    TestConfigs.writeUsers(config.auth().usersFile(), "tokens:", "  two:", "    sha256: \"" + Tokens.sha256Hex(token)
        + "\"", "    role: viewer", "    services: [s-2, s-100]");
    app = Application.deploy(vertx, config, new ServiceCatalogue(services)).await();
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static boolean complete(JsonObject view) {
    return "active".equals(view.getString("status")) ? view.getValue("since") != null
        : view.getString("status") != null && !"checking".equals(view.getString("status"));
  }

  /** The services of a snapshot, once every view is complete (waiting for the pushes that complete them). */
  private static void completeViews() {
    try (WsClient ws = WsClient.connect(vertx, app.httpPort())) {
      JsonArray snapshot = ws.awaitType("snapshot", WAIT).getJsonArray("services");
      snapshot.stream().map(JsonObject.class::cast).filter(v -> !complete(v)).map(v -> v.getString("name"))
          .forEach(name -> ws.await(f -> "status".equals(f.getString("type"))
              && name.equals(f.getJsonObject("service").getString("name")) && complete(f.getJsonObject("service")), WAIT));
    }
  }

  private static JsonArray withoutCheckTimes(JsonArray views) {
    JsonArray out = new JsonArray();
    views.forEach(v -> out.add(ServiceView.withoutCheckTime((JsonObject) v)));
    return out;
  }

  @Test
  @DisplayName("?snapshot=gzip opens with one binary frame whose JSON is the text snapshot, view for view")
  void gzipSnapshotDecodesToTheSameViews() {
    completeViews();
    try (WsClient text = WsClient.connect(vertx, app.httpPort());
        WsClient gzip = WsClient.connect(vertx, app.httpPort(), "/ws?snapshot=gzip")) {
      JsonObject plain = text.awaitType("snapshot", WAIT);
      JsonObject packed = gzip.awaitType("snapshot", WAIT);
      assertThat(gzip.binaryFrames()).isEqualTo(1);
      assertThat(text.binaryFrames()).isZero();
      assertThat(packed.getJsonArray("services")).hasSize(UNITS + 1);
      assertThat(withoutCheckTimes(packed.getJsonArray("services")))
          .isEqualTo(withoutCheckTimes(plain.getJsonArray("services")));
      assertThat(packed.getJsonArray("services")).allSatisfy(v -> assertThat(complete((JsonObject) v)).isTrue());
    }
  }

  @Test
  @DisplayName("A gzip client that sees two services gets only those two, in its snapshot and in the text pushes after it")
  void perIdentityAndLaterFramesAsText() {
    completeViews();
    try (WsClient two = WsClient.connect(vertx, app.httpPort(), new WebSocketConnectOptions()
        .addHeader("Authorization", "Bearer " + token), "/ws?snapshot=gzip")) {
      JsonObject snapshot = two.awaitType("snapshot", WAIT);
      assertThat(snapshot.getJsonArray("services").stream().map(v -> ((JsonObject) v).getString("name")))
          .containsExactly("s-2", "s-100");
      try (WsClient all = WsClient.connect(vertx, app.httpPort(), "/ws?snapshot=gzip")) {
        all.awaitType("snapshot", WAIT);
        systemd.sandbox().systemctlOk("start", "flip.service");
        all.awaitStatus("flip", "active", WAIT);
        systemd.sandbox().systemctlOk("stop", "scale@100.service");
        two.awaitStatus("s-100", "inactive", WAIT);
        all.awaitStatus("s-100", "inactive", WAIT);
        assertThat(all.binaryFrames()).isEqualTo(1);
      } finally {
        systemd.sandbox().systemctl("start", "scale@100.service");
        systemd.sandbox().systemctl("stop", "flip.service");
      }
      assertThat(two.binaryFrames()).isEqualTo(1);
      assertThat(two.allReceived()).noneMatch(f -> "status".equals(f.getString("type"))
          && "flip".equals(f.getJsonObject("service").getString("name")));
    }
  }

  @Test
  @DisplayName("An unknown snapshot encoding is refused with 400 bad_request, and nothing is upgraded")
  void unknownEncodingRefused() {
    var response = TestConfigs.client(vertx).request(HttpMethod.GET, app.httpPort(), "127.0.0.1", "/ws?snapshot=brotli")
        .putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(response.bodyAsJsonObject().getString("message")).contains("snapshot");
  }
}
