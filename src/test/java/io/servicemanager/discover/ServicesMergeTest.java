package io.servicemanager.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.Validated;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class ServicesMergeTest {
  private static final String EXISTING = """
      # Our game servers. Keep this comment.
      services:
        pzserver:    # the big one
          display_name: 'PZ'   # single quotes stay single
          description: "Project Zomboid"
          permissions_required: all
          status_check_allowed: true

        # minecraft comes later
      """;

  private static final List<ServiceEntry> NEW = List.of(
      new ServiceEntry("worker@1", "Worker \"one\": the first", Permission.RESTART),
      new ServiceEntry("backup", "backup", Permission.START));

  @Test
  @DisplayName("New entries are appended after the existing text, which stays byte for byte, comments and quoting included")
  void appendsKeepingTheText() {
    String merged = ServicesMerge.merge(EXISTING, NEW);
    assertThat(merged).startsWith(EXISTING);
    assertThat(merged.substring(EXISTING.length())).isEqualTo("""
          "worker@1":
            display_name: "Worker \\"one\\": the first"
            description: "Worker \\"one\\": the first"
            permissions_required: "restart"
            status_check_allowed: true
          "backup":
            display_name: "backup"
            description: "backup"
            permissions_required: "start"
            status_check_allowed: true
        """);
    Map<String, Object> services = services(merged);
    assertThat(services).containsOnlyKeys("pzserver", "worker@1", "backup");
    assertThat(valid(merged).find("worker@1").orElseThrow().displayName()).isEqualTo("Worker \"one\": the first");
    assertThat(valid(merged).find("pzserver").orElseThrow().permission()).isEqualTo(Permission.ALL);
  }

  @Test
  @DisplayName("Entries take the file's own indentation, and go inside the services block when other keys follow it")
  void indentationAndLaterKeys() {
    String text = "services:\n    pz:\n        display_name: PZ\n        description: d\n"
        + "        permissions_required: restart\n        status_check_allowed: true\nversion: 1\n";
    String merged = ServicesMerge.merge(text, NEW.subList(1, 2));
    assertThat(merged).isEqualTo("services:\n    pz:\n        display_name: PZ\n        description: d\n"
        + "        permissions_required: restart\n        status_check_allowed: true\n"
        + "    \"backup\":\n        display_name: \"backup\"\n        description: \"backup\"\n"
        + "        permissions_required: \"start\"\n        status_check_allowed: true\nversion: 1\n");
    assertThat(valid(merged).size()).isEqualTo(2);
  }

  @Test
  @DisplayName("A file without a final newline gets one before the new entries; nothing to add leaves the text as it is")
  void noFinalNewline() {
    String text = "services:\n  pz:\n    display_name: PZ\n    description: d\n    permissions_required: restart\n"
        + "    status_check_allowed: true";
    assertThat(ServicesMerge.merge(text, NEW.subList(1, 2))).startsWith(text + "\n  \"backup\":\n");
    assertThat(ServicesMerge.merge(text, List.of())).isSameAs(text);
  }

  @Test
  @DisplayName("services written in flow style cannot be appended to: refused, nothing made")
  void flowStyleRefused() {
    assertThatThrownBy(() -> ServicesMerge.merge("services: {pz: {display_name: PZ, description: d, "
        + "permissions_required: restart, status_check_allowed: true}}\n", NEW))
        .isInstanceOf(ServicesMerge.Unmergeable.class).hasMessageContaining("flow style");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services(String text) {
    Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return (Map<String, Object>) yaml.get("services");
  }

  /** Through the validator start-up uses (JSON numbers and booleans as SnakeYAML reads them). */
  private static ServiceCatalogue valid(String text) {
    Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    Validated<ServiceCatalogue> v = ConfigValidator.validateServices(new JsonObject(yaml));
    assertThat(v.errors()).isEmpty();
    return v.value();
  }
}
