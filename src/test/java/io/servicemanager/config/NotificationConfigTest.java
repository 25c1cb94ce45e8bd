package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.NotificationTarget.Format;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** config.yaml's {@code metrics:} and {@code notifications:}, validated as strictly as the rest. */
class NotificationConfigTest {
  private static final Path BASE = Path.of("/etc/sm");

  private static Validated<AppConfig> app(JsonObject yaml) {
    return ConfigValidator.validateApp(yaml, BASE);
  }

  private static List<String> notificationErrors(Object... targets) {
    return app(new JsonObject().put("notifications", new JsonArray(List.of(targets)))).errors();
  }

  private static JsonObject discord() {
    return new JsonObject()
        .put("url", "https://discord.com/api/webhooks/1/secret")
        .put("events", new JsonArray().add("operation").add("status"))
        .put("services", new JsonArray().add("pzserver"))
        .put("format", "discord");
  }

  private static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition("pzserver", "pzserver.service", "PZ", "game", Permission.RESTART, true),
        new ServiceDefinition("backup", "backup.service", "Backup", "nightly", Permission.ALL, false)));
  }

  @Test
  @DisplayName("Without metrics and notifications keys, /metrics needs credentials and no webhook is sent")
  void defaults() {
    AppConfig config = app(new JsonObject()).value();
    assertThat(config.metricsPublic()).isFalse();
    assertThat(config.notifications()).isEmpty();
  }

  @Test
  @DisplayName("metrics.public: true opens /metrics; anything but a boolean, or an unknown key, is an error")
  void metrics() {
    assertThat(app(new JsonObject().put("metrics", new JsonObject().put("public", true))).value().metricsPublic()).isTrue();
    assertThat(app(new JsonObject().put("metrics", new JsonObject().put("public", "yes"))).errors())
        .containsExactly("metrics.public: must be true or false (got \"yes\")");
    assertThat(app(new JsonObject().put("metrics", new JsonObject().put("token", "x"))).errors())
        .containsExactly("metrics.token: unknown field (known: public)");
    assertThat(app(new JsonObject().put("metrics", true)).errors())
        .containsExactly("metrics: must be a mapping (got true)");
  }

  @Test
  @DisplayName("A Discord webhook for pzserver's operations and status changes is read as written")
  void discordTarget() {
    AppConfig config = app(new JsonObject().put("notifications", new JsonArray().add(discord()))).value();
    assertThat(config.notifications()).containsExactly(new NotificationTarget(
        "https://discord.com/api/webhooks/1/secret", Set.of(Event.OPERATION, Event.STATUS), List.of("pzserver"),
        Format.DISCORD));
    assertThat(ConfigValidator.crossCheck(config, catalogue())).isEmpty();
  }

  @Test
  @DisplayName("format defaults to json, and without services every visible service is covered")
  void jsonForEveryService() {
    JsonObject minimal = new JsonObject().put("url", "http://127.0.0.1:9000/hook").put("events", new JsonArray().add("status"));
    NotificationTarget target = app(new JsonObject().put("notifications", new JsonArray().add(minimal)))
        .value().notifications().get(0);
    assertThat(target.format()).isEqualTo(Format.JSON);
    assertThat(target.wants(Event.STATUS, "anything")).isTrue();
    assertThat(target.wants(Event.OPERATION, "anything")).isFalse();
  }

  @Test
  @DisplayName("Every mistake in a target is named with its path, all at once")
  void everyMistake() {
    JsonObject bad = new JsonObject()
        .put("url", "ftp://example.com/x")
        .put("events", new JsonArray().add("status").add("restart"))
        .put("services", new JsonArray().add(3))
        .put("format", "teams")
        .put("secret", "x");
    assertThat(notificationErrors(discord(), bad, "https://example.com")).containsExactlyInAnyOrder(
        "notifications[1].secret: unknown field (known: events, format, services, url)",
        "notifications[1].url: must be an http:// or https:// URL with a host (got \"ftp://example.com/x\")",
        "notifications[1].events[1]: must be one of status, operation (got \"restart\")",
        "notifications[1].services[0]: must be a service name from the services file (got 3)",
        "notifications[1].format: must be one of json, discord, slack (got \"teams\")",
        "notifications[2]: must be a mapping with url and events (got \"https://example.com\")");
  }

  @Test
  @DisplayName("url and events are required; an empty events or services list is an error, not 'nothing' or 'all'")
  void requiredAndEmpty() {
    assertThat(notificationErrors(new JsonObject())).containsExactlyInAnyOrder(
        "notifications[0]: missing field url", "notifications[0]: missing field events");
    assertThat(notificationErrors(discord().put("events", new JsonArray()))).containsExactly(
        "notifications[0].events: must be a non-empty list of status, operation (got [])");
    assertThat(notificationErrors(discord().put("services", new JsonArray()))).containsExactly(
        "notifications[0].services: must be a non-empty list of service names; leave it out for every visible service (got [])");
    assertThat(app(new JsonObject().put("notifications", "https://example.com")).errors()).containsExactly(
        "notifications: must be a list of {url, events, services, format} (got \"https://example.com\")");
  }

  @Test
  @DisplayName("A URL without a host, or one that is not a URL at all, is an error")
  void badUrls() {
    for (String url : List.of("https:///hook", "hook", "http://exa mple.com/", "javascript:alert(1)")) {
      assertThat(notificationErrors(discord().put("url", url))).as(url).containsExactly(
          "notifications[0].url: must be an http:// or https:// URL with a host (got \"" + url + "\")");
    }
  }

  @Test
  @DisplayName("Once the services file is read: a service that is not there, or whose status is hidden, is an error")
  void unknownOrHiddenService() {
    JsonObject target = discord().put("services", new JsonArray().add("pzserver").add("pzsrever").add("backup"));
    AppConfig config = app(new JsonObject().put("notifications", new JsonArray().add(target))).value();
    assertThat(ConfigValidator.crossCheck(config, catalogue())).containsExactly(
        "notifications[0].services[1]: no service \"pzsrever\" in the services file",
        "notifications[0].services[2]: \"backup\" has status_check_allowed: false, so none of its events is ever sent");
  }
}
