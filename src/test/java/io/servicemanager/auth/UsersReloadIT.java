package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
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
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The users file is followed live: additions and removals apply at once, a broken edit changes nothing. */
class UsersReloadIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service");

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private int status(WebClient http, int port, String authorization) {
    return http.get(port, "127.0.0.1", "/api/services").putHeader("Authorization", authorization).send().await().statusCode();
  }

  private static JsonObject next(LinkedBlockingQueue<JsonObject> published) throws InterruptedException {
    JsonObject message = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(message).as("a servicemanager.users message within %s", WAIT).isNotNull();
    return message;
  }

  @Test
  @DisplayName("A user added to the file can log in at once; a broken edit keeps the last good users and is reported; a removed user is out, open feeds reconnect")
  void reload() throws Exception {
    vertx = Vertx.vertx();
    AppConfig config = TestConfigs.forBus(systemd.busAddress());
    Application app = Application.deploy(vertx, config, new ServiceCatalogue(List.of(
        new ServiceDefinition("sleeper", "sleeper.service", "Sleeper", "sleeps", Permission.ALL, true)))).await();
    LinkedBlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.USERS, m -> published.add(m.body()));
    WebClient http = WebClient.create(vertx);
    String carol = TestConfigs.basic("carol", "carol-password");
    String carolLine = "    password: \"" + PasswordHash.hash("carol-password".toCharArray()) + "\"";
    assertThat(status(http, app.httpPort(), carol)).isEqualTo(401);

    try (WsClient open = WsClient.connect(vertx, app.httpPort())) {
      open.awaitType("snapshot", WAIT);
      TestConfigs.writeUsers(config.auth().usersFile(), "  carol:", carolLine, "    role: viewer");
      assertThat(next(published).getJsonObject("users").fieldNames()).contains("carol");
      assertThat(status(http, app.httpPort(), carol)).isEqualTo(200);
      assertThat(open.awaitClose(WAIT)).as("feeds reconnect under the new rights").isEqualTo((short) 1012);
    }

    TestConfigs.writeUsers(config.auth().usersFile(), "  carol:", carolLine, "    role: admin");
    assertThat(next(published).getJsonArray("errors")).singleElement().asString()
        .isEqualTo("users.yaml: users.carol.role: must be one of viewer, operator (got \"admin\")");
    assertThat(status(http, app.httpPort(), carol)).as("the last good users stay").isEqualTo(200);

    TestConfigs.writeUsers(config.auth().usersFile());
    assertThat(next(published).getJsonObject("users").fieldNames()).doesNotContain("carol");
    assertThat(status(http, app.httpPort(), carol)).isEqualTo(401);
    assertThat(status(http, app.httpPort(), TestConfigs.operatorBasic())).isEqualTo(200);
  }
}
