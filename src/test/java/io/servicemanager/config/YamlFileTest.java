package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFileTest {
  private Vertx vertx;
  @TempDir Path dir;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("A key written twice is reported with the line and column of the repeat")
  void duplicateKeyPosition() throws Exception {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.loadServices(vertx, ConfigLoaderTest.fixture("duplicate-keys.yaml")).await());
    assertThat(e.errors()).hasSize(2);
    assertThat(e.position(e.errors().get(0))).contains(new ConfigException.Position(8, 5));
    assertThat(e.position(e.errors().get(1))).contains(new ConfigException.Position(9, 3));
  }

  @Test
  @DisplayName("A validation error points at the key it names, or at the mapping that lacks a field")
  void validationErrorPosition() throws Exception {
    Path file = Files.writeString(dir.resolve("services.yaml"), "services:\n  pzserver:\n    display_name: PZ\n"
        + "    description: game\n    permissions_required: restrat\n");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.loadServices(vertx, file).await());
    assertThat(e.errors()).containsExactly("services.pzserver: missing field status_check_allowed",
        "services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")");
    assertThat(e.position(e.errors().get(0))).contains(new ConfigException.Position(2, 3));
    assertThat(e.position(e.errors().get(1))).contains(new ConfigException.Position(5, 5));
  }

  @Test
  @DisplayName("YAML merge keys and anchors read as the merged mapping")
  void mergeKeys() throws Exception {
    Path services = Files.writeString(dir.resolve("s.yaml"), "services:\n  a: &a\n    display_name: A\n"
        + "    description: d\n    permissions_required: all\n    status_check_allowed: true\n"
        + "  b:\n    <<: *a\n    display_name: B\n");
    var catalogue = ConfigLoader.loadServices(vertx, services).await();
    assertThat(catalogue.find("b").orElseThrow().displayName()).isEqualTo("B");
    assertThat(catalogue.find("b").orElseThrow().permission()).isEqualTo(Permission.ALL);
  }
}
