package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.auth.UsersValidator;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
  /** The schema as shipped in the jar, read independently of ConfigSchema. */
  private static JsonObject shipped(String name) throws Exception {
    try (InputStream in = ConfigSchemaTest.class.getResourceAsStream("/schemas/" + name + ".schema.json")) {
      assertThat(in).as(name + ".schema.json in the jar").isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The field names a schema location declares, as an unknown-field error lists them. */
  private static String known(JsonObject at) {
    return String.join(", ", at.getJsonObject("properties").fieldNames().stream().sorted().toList());
  }

  @Test
  @DisplayName("config.yaml: an unknown key is reported with its path and the keys its shipped schema declares there")
  void configSchemaIsUsed() throws Exception {
    JsonObject http = shipped("config").getJsonObject("properties").getJsonObject("http");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("prot", 1)),
        Path.of("/")).errors()).containsExactly("http.prot: unknown field (known: " + known(http) + ")");
    assertThat(known(http)).contains("idle_timeout_seconds", "ws_ping_interval_seconds");
    JsonObject insight = shipped("config").getJsonObject("properties").getJsonObject("insight");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("insight", new JsonObject().put("retention_days", 0)),
        Path.of("/")).errors()).containsExactly("insight.retention_days: must be a whole number from "
            + insight.getJsonObject("properties").getJsonObject("retention_days").getValue("minimum") + " to 36500 (got 0)");
  }

  @Test
  @DisplayName("services.yaml: an unknown key is reported with its path and the keys its shipped schema declares there")
  void servicesSchemaIsUsed() throws Exception {
    JsonObject service = shipped("services").getJsonObject("properties").getJsonObject("services")
        .getJsonObject("additionalProperties");
    JsonObject fields = new JsonObject().put("display_name", "PZ").put("description", "game")
        .put("permissions_required", "all").put("status_check_allowed", true).put("confirm_restart", true)
        .put("logs_allowed", false).put("colour", "red");
    assertThat(ConfigValidator.validateServices(new JsonObject().put("services", new JsonObject().put("pz", fields)))
        .errors()).containsExactly("services.pz.colour: unknown field (known: " + known(service) + ")");
    assertThat(known(service)).contains("logs_allowed", "confirm_restart");
  }

  @Test
  @DisplayName("users.yaml: an unknown key is reported with its path and the keys its shipped schema declares there")
  void usersSchemaIsUsed() throws Exception {
    JsonObject token = shipped("users").getJsonObject("properties").getJsonObject("tokens")
        .getJsonObject("additionalProperties");
    JsonObject yaml = new JsonObject().put("tokens", new JsonObject().put("bot", new JsonObject()
        .put("sha256", "a".repeat(64)).put("role", "viewer").put("scope", "all")));
    assertThat(UsersValidator.validate(yaml, Set.of()).errors())
        .containsExactly("tokens.bot.scope: unknown field (known: " + known(token) + ")");
  }

  @Test
  @DisplayName("Each error comes once, in the schema's words, even where several keywords reject one value")
  void oneErrorPerValue() {
    assertThat(ConfigValidator.validateApp(new JsonObject().put("systemd", new JsonObject().put("bus", 5)),
        Path.of("/")).errors()).containsExactly("systemd.bus: must be a non-empty string (got 5)");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("port", "x").put("host", 1)),
        Path.of("/")).errors()).containsExactly("http.host: must be a non-empty string (got 1)",
            "http.port: must be a whole number from 0 to 65535 (got \"x\")");
  }

  @Test
  @DisplayName("Keys with characters a JSON pointer escapes keep their path as written")
  void escapedKeys() {
    JsonObject yaml = new JsonObject().put("users", new JsonObject().put("a/b~c", "x").put("é", new JsonObject()
        .put("password", "p").put("role", "viewer").put("x%20", 1)));
    List<String> errors = UsersValidator.validate(yaml, null).errors();
    assertThat(errors).contains("users.\"a/b~c\": must be a mapping with password, role, services (got \"x\")",
        "users.\"é\".\"x%20\": unknown field (known: password, role, services)");
  }

  @Test
  @DisplayName("The defaults config.yaml's schema shows editors are the ones in force when a key is left out")
  void schemaDefaultsAreTheDefaults() throws Exception {
    JsonObject spelledOut = defaults(shipped("config"));
    assertThat(spelledOut.getJsonObject("http").fieldNames()).contains("host", "port", "idle_timeout_seconds");
    assertThat(ConfigValidator.validateApp(spelledOut, Path.of("/etc/sm")).value())
        .isEqualTo(ConfigValidator.validateApp(new JsonObject(), Path.of("/etc/sm")).value());
  }

  /** Every {@code default} under a mapping's properties, nested as the file would be. */
  private static JsonObject defaults(JsonObject schema) {
    JsonObject doc = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String key : properties.fieldNames()) {
      JsonObject property = properties.getJsonObject(key);
      if (property.containsKey("default")) {
        doc.put(key, property.getValue("default"));
      } else if (property.containsKey("properties") && !property.containsKey("required")) {
        // A mapping with required fields (cluster) is opt-in: defaults alone cannot spell it out.
        JsonObject nested = defaults(property);
        if (!nested.isEmpty()) {
          doc.put(key, nested);
        }
      }
    }
    return doc;
  }
}
