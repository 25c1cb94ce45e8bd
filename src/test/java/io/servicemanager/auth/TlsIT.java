package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** http.tls: HTTPS and WSS from PEM files, secure cookies, and no plain HTTP on the same port. */
class TlsIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  @TempDir Path dir;
  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** A self-signed certificate for 127.0.0.1, made by openssl for this test only. */
  private void selfSigned(Path cert, Path key) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  @Test
  @DisplayName("With a PEM certificate and key the API and /ws speak TLS, cookies are Secure, and plain HTTP gets nothing")
  void tls() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSigned(cert, key);
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress()).with(b -> b.tls = new AppConfig.Tls(cert, key));
    Application app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true)))).await();

    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    var services = https.get(app.httpPort(), "127.0.0.1", "/api/services")
        .putHeader("Authorization", TestConfigs.operatorBasic()).send().await();
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.bodyAsJsonObject().getJsonArray("services")).hasSize(1);
    assertThat(services.getHeader("Strict-Transport-Security")).startsWith("max-age=");

    var login = https.post(app.httpPort(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("user", TestConfigs.OPERATOR).put("password", TestConfigs.PASSWORD)).await();
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.getHeader("Set-Cookie")).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");

    var wss = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    var socket = wss.webSocket();
    var first = io.vertx.core.Promise.<String>promise();
    socket.textMessageHandler(first::tryComplete); // before connecting: the snapshot comes at once
    socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.httpPort()).setURI("/ws")
        .addHeader("Authorization", TestConfigs.operatorBasic())).await(15, TimeUnit.SECONDS);
    assertThat(new JsonObject(first.future().await(15, TimeUnit.SECONDS)).getString("type")).isEqualTo("snapshot");
    socket.close().await(15, TimeUnit.SECONDS);

    WebClient plain = WebClient.create(vertx);
    assertThatThrownBy(() -> plain.get(app.httpPort(), "127.0.0.1", "/api/health").timeout(10_000).send()
        .await(15, TimeUnit.SECONDS))
        .as("plain HTTP on the TLS port").isNotNull();
  }
}
