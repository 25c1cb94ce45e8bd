package io.servicemanager.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceDefinition;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OriginalServicesTest {
  /** The original application's shipped config/services.yaml, as its four fields. */
  private static JsonObject sample() {
    return new JsonObject().put("display_name", "Sample HTTP Service")
        .put("description", "Simple HTTP server for demonstration purposes")
        .put("permissions_required", "all").put("status_check_allowed", true);
  }

  @Test
  @DisplayName("The original app's own file becomes today's version 1 file, every service as it was, with nothing to note")
  void originalFile() {
    JsonObject original = new JsonObject().put("services", new JsonObject().put("sample-service", sample()));
    Migrated migrated = OriginalServices.migrate(original);
    assertThat(migrated.tree()).isEqualTo(new JsonObject().put("version", 1)
        .put("services", new JsonObject().put("sample-service", sample())));
    assertThat(migrated.notes()).isEmpty();
    ServiceDefinition service = ConfigValidator.validateServices(migrated.tree()).value().all().iterator().next();
    assertThat(service.permission()).isEqualTo(Permission.ALL);
    assertThat(original.fieldNames()).as("the input is not changed").containsExactly("services");
  }

  @Test
  @DisplayName("Keys today's schema rejects are dropped, each with a note naming its path; the file then validates")
  void extraKeysDropped() {
    JsonObject original = new JsonObject().put("theme", "dark")
        .put("services", new JsonObject().put("sample-service", sample().put("icon", "server").put("port", 8081)));
    Migrated migrated = OriginalServices.migrate(original);
    assertThat(migrated.notes()).containsExactly(
        "theme: dropped (today's services.yaml has only services)",
        "services.sample-service.icon: dropped (not a field of today's services.yaml; the original app ignored it too)",
        "services.sample-service.port: dropped (not a field of today's services.yaml; the original app ignored it too)");
    assertThat(migrated.tree().getJsonObject("services").getJsonObject("sample-service")).isEqualTo(sample());
    assertThat(ConfigValidator.validateServices(migrated.tree()).isValid()).isTrue();
  }

  @Test
  @DisplayName("Today's optional fields are kept, and the two fields the original app defaulted are written down with its defaults")
  void defaultsWrittenDown() {
    JsonObject pz = new JsonObject().put("display_name", "PZ").put("description", "game").put("logs_allowed", true);
    Migrated migrated = OriginalServices.migrate(new JsonObject().put("services", new JsonObject().put("pzserver", pz)));
    assertThat(migrated.tree().getJsonObject("services").getJsonObject("pzserver")).isEqualTo(pz.copy()
        .put("permissions_required", "restart").put("status_check_allowed", true));
    assertThat(migrated.notes()).containsExactly(
        "services.pzserver.permissions_required: set to restart, what the original app assumed when it was left out",
        "services.pzserver.status_check_allowed: set to true, what the original app assumed when it was left out");
  }

  @Test
  @DisplayName("What cannot be mapped is left for validation to report, never guessed: a missing display name, a service that is no mapping")
  void notGuessed() {
    JsonObject original = new JsonObject().put("services", new JsonObject()
        .put("pzserver", new JsonObject().put("description", "game").put("permissions_required", "all").put("status_check_allowed", true))
        .put("broken", "yes"));
    Migrated migrated = OriginalServices.migrate(original);
    assertThat(migrated.notes()).isEmpty();
    List<String> errors = ConfigValidator.validateServices(migrated.tree()).errors();
    assertThat(errors).contains("services.pzserver: missing field display_name")
        .anyMatch(e -> e.startsWith("services.broken: must be a mapping"));
  }

  @Test
  @DisplayName("Written out as YAML, the migrated tree reads back as the same tree")
  void yamlRoundTrip() throws Exception {
    JsonObject tree = OriginalServices.migrate(new JsonObject().put("services", new JsonObject()
        .put("sample-service", sample().put("description", "yes: \"quoted\" # not a comment")))).tree();
    String text = YamlText.of(List.of("a comment"), tree);
    assertThat(text).startsWith("# a comment\nversion: 1\nservices:\n  sample-service:\n");
    java.nio.file.Path file = java.nio.file.Files.createTempFile("h14m-services", ".yaml");
    try {
      java.nio.file.Files.writeString(file, text);
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        var read = io.servicemanager.config.ConfigLoader.loadOptional(vertx, file, io.servicemanager.config.Validated::ok).await();
        assertThat(read).isEqualTo(tree);
      } finally {
        vertx.close().await();
      }
    } finally {
      java.nio.file.Files.delete(file);
    }
  }
}
