package io.servicemanager.web;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The configuration routes on a real systemd and real files, per identity: the units not
 * configured yet (read when asked) and the configuration history, for a signed-in identity that
 * sees every service; 403 for one limited to some services and for the anonymous viewer.
 */
class ConfigApiIT {
  private static final String SLEEP = "[Service]\nExecStart=/bin/sleep 400\n";
  /** A viewer who sees every service (no list): the configuration is theirs to see, acting is not. */
  private static final String ALL_VIEWER = "ada";
  /** A viewer limited to pzserver. */
  private static final String LIMITED = "vera";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("pzserver.service", "[Unit]\nDescription=Project Zomboid\n" + SLEEP)
      .withUnit("minecraft.service", "[Unit]\nDescription=Minecraft: \"Java\" edition\n" + SLEEP)
      .withUnit("systemd-lookalike.service", "[Unit]\nDescription=Looks like systemd's own\n" + SLEEP);

  static final String SERVICES = "services:\n  pzserver:\n    display_name: PZ\n    description: Zomboid\n"
      + "    permissions_required: restart\n    status_check_allowed: true\n";

  static Vertx vertx;
  static Application app;
  static WebClient http;
  static Path dir;
  static DocumentedResponses documented;
  static final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("config-api-it");
    Files.writeString(dir.resolve("services.yaml"), SERVICES);
    TestConfigs.writeUsers(dir.resolve("users.yaml"),
        "  " + ALL_VIEWER + ":", "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: viewer",
        "  " + LIMITED + ":", "    password: \"" + TestConfigs.operatorHash() + "\"", "    role: operator",
        "    services: [pzserver]");
    Path config = Files.writeString(dir.resolve("config.yaml"), "http:\n  port: 0\nsystemd:\n  bus: \""
        + systemd.busAddress() + "\"\nhistory_file: history.jsonl\ninsight:\n  database: sm.db\n"
        + "config_history:\n  dir: config-history\nauth:\n  secret_file: secret.key\n  anonymous: viewer\n");
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
    ConfigLoader.LoadedConfig loaded = ConfigLoader.load(vertx, config).await();
    app = Application.deploy(vertx, loaded.app(), loaded.services()).await();
    http = WebClient.create(vertx);
    documented = new DocumentedResponses(http.get(app.httpPort(), "127.0.0.1", "/api/openapi.yaml").send().await().bodyAsString());
    assertThat(versions.poll(30, SECONDS)).as("the version at start").isNotNull();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static HttpResponse<Buffer> get(String user, String uri) {
    HttpRequest<Buffer> request = http.request(HttpMethod.GET, app.httpPort(), "127.0.0.1", uri);
    if (user != null) {
      request.putHeader("Authorization", TestConfigs.basic(user, TestConfigs.PASSWORD));
    }
    HttpResponse<Buffer> answer = request.send().await();
    documented.check("GET", uri.replaceFirst("\\?.*", ""), answer);
    return answer;
  }

  private static JsonObject unit(JsonArray units, String name) {
    return units.stream().map(JsonObject.class::cast).filter(u -> name.equals(u.getString("name"))).findFirst().orElse(null);
  }

  @Test
  @DisplayName("GET /api/config/unmanaged lists the units that exist but are not configured, read when asked, each with YAML that validates when pasted")
  void unmanaged() throws Exception {
    HttpResponse<Buffer> answer = get(TestConfigs.OPERATOR, "/api/config/unmanaged");
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonArray units = answer.bodyAsJsonObject().getJsonArray("units");
    assertThat(unit(units, "pzserver")).as("configured").isNull();
    assertThat(unit(units, "systemd-lookalike")).as("systemd's own, unless asked for").isNull();
    JsonObject minecraft = unit(units, "minecraft");
    assertThat(minecraft.getString("unit")).isEqualTo("minecraft.service");
    assertThat(minecraft.getString("description")).isEqualTo("Minecraft: \"Java\" edition");
    assertThat(minecraft.getString("active_state")).isEqualTo("inactive");

    Path pasted = Files.writeString(dir.resolve("pasted.yaml"), SERVICES + minecraft.getString("yaml"));
    ServiceCatalogue catalogue = ConfigLoader.loadServices(vertx, pasted).await();
    assertThat(catalogue.find("minecraft").orElseThrow().displayName()).isEqualTo("Minecraft: \"Java\" edition");
    assertThat(catalogue.find("minecraft").orElseThrow().permission().value()).isEqualTo("restart");

    // Read on request: a unit started since shows its new state at the next ask.
    systemd.sandbox().systemctlOk("start", "minecraft.service");
    JsonArray again = get(ALL_VIEWER, "/api/config/unmanaged").bodyAsJsonObject().getJsonArray("units");
    assertThat(unit(again, "minecraft").getString("active_state")).isEqualTo("active");
    JsonArray system = get(TestConfigs.OPERATOR, "/api/config/unmanaged?include_system=true").bodyAsJsonObject().getJsonArray("units");
    assertThat(unit(system, "systemd-lookalike")).isNotNull();
    assertThat(get(TestConfigs.OPERATOR, "/api/config/unmanaged?include_system=maybe").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("GET /api/config/history lists the accepted versions newest first with their summaries, and follows an edit")
  void history() throws Exception {
    HttpResponse<Buffer> first = get(TestConfigs.OPERATOR, "/api/config/history");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    int before = first.bodyAsJsonObject().getInteger("total");
    assertThat(first.bodyAsJsonObject().getJsonArray("versions").getJsonObject(before - 1).getString("message"))
        .isEqualTo("first version: 1 service, 3 users, 0 tokens");

    Path next = Files.writeString(dir.resolve("services.yaml.new"), SERVICES
        + "  minecraft:\n    display_name: MC\n    description: M\n    permissions_required: all\n    status_check_allowed: true\n");
    Files.move(next, dir.resolve("services.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    JsonObject version = versions.poll(60, SECONDS);
    assertThat(version).as("the edit recorded").isNotNull();

    JsonObject after = get(ALL_VIEWER, "/api/config/history").bodyAsJsonObject();
    assertThat(after.getInteger("total")).isEqualTo(before + 1);
    JsonObject newest = after.getJsonArray("versions").getJsonObject(0);
    assertThat(newest.getString("rev")).isEqualTo(version.getString("rev"));
    assertThat(newest.getString("message")).isEqualTo("services: +minecraft (all)");
    assertThat(get(TestConfigs.OPERATOR, "/api/config/history?limit=1").bodyAsJsonObject().getJsonArray("versions")).hasSize(1);
    HttpResponse<Buffer> bad = get(TestConfigs.OPERATOR, "/api/config/history?limit=0");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("invalid_limit");
  }

  @Test
  @DisplayName("Only a signed-in identity that sees every service may: a user limited to some services and the anonymous viewer get 403, and their session says so")
  void perIdentity() {
    for (String uri : List.of("/api/config/unmanaged", "/api/config/history")) {
      for (String who : new String[] {LIMITED, null}) {
        HttpResponse<Buffer> refused = get(who, uri);
        assertThat(refused.statusCode()).as("%s as %s", uri, who).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
      }
    }
    assertThat(get(TestConfigs.OPERATOR, "/api/session").bodyAsJsonObject().getBoolean("configuration")).isTrue();
    assertThat(get(ALL_VIEWER, "/api/session").bodyAsJsonObject().getBoolean("configuration")).isTrue();
    assertThat(get(LIMITED, "/api/session").bodyAsJsonObject().getBoolean("configuration")).isFalse();
    assertThat(get(null, "/api/session").bodyAsJsonObject().getBoolean("configuration")).isFalse();
  }
}
