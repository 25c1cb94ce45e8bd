package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
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

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private ConfigException failure(Path services) {
    try {
      ConfigLoader.loadServices(vertx, services).await();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  @DisplayName("The shipped conf/config.yaml and conf/services.yaml load: pzserver (restart) and sample-service (all)")
  void shippedFiles() {
    var loaded = ConfigLoader.load(vertx, Path.of("conf/config.yaml")).await();
    assertThat(loaded.app().servicesFile()).isEqualTo(Path.of("conf/services.yaml").toAbsolutePath());
    assertThat(loaded.services().find("pzserver").orElseThrow().permission()).isEqualTo(Permission.RESTART);
    assertThat(loaded.services().find("sample-service").orElseThrow().permission()).isEqualTo(Permission.ALL);
    assertThat(loaded.services().all()).allMatch(ServiceDefinition::statusCheckAllowed);
  }

  @Test
  @DisplayName("An absent config.yaml means every default, with services.yaml next to where it would be")
  void absentConfig() throws Exception {
    write("services.yaml", "services:\n  pzserver:\n    display_name: PZ\n    description: game\n"
        + "    permissions_required: restart\n    status_check_allowed: true\n");
    var loaded = ConfigLoader.load(vertx, dir.resolve("config.yaml")).await();
    assertThat(loaded.app().httpPort()).isEqualTo(8080);
    assertThat(loaded.app().bus()).isEqualTo("system");
    assertThat(loaded.services().size()).isEqualTo(1);
  }

  @Test
  @DisplayName("An empty services file is an error naming the file")
  void emptyFile() throws Exception {
    ConfigException e = failure(write("services.yaml", ""));
    assertThat(e.errors()).containsExactly("file is empty");
    assertThat(e.getMessage()).contains("services.yaml: file is empty");
    assertThat(failure(write("comments.yaml", "# nothing here\n")).errors()).singleElement().asString().startsWith("file is empty");
  }

  @Test
  @DisplayName("A YAML syntax error is reported with its line and column")
  void syntaxError() throws Exception {
    ConfigException e = failure(write("services.yaml", "services:\n  pzserver:\n    display_name: [oops\n    description: d\n"));
    assertThat(e.errors()).singleElement().asString().matches("YAML syntax error at line \\d+, column \\d+: .+");
    assertThat(e.errors().get(0)).contains("line 4");
  }

  @Test
  @DisplayName("A top level that is a list or a plain value is an error")
  void notAMapping() throws Exception {
    assertThat(failure(write("list.yaml", "- a\n- b\n")).errors())
        .containsExactly("the top level must be a mapping of keys to values");
  }

  @Test
  @DisplayName("A missing services file is an error with its path")
  void missingFile() {
    ConfigException e = failure(dir.resolve("nope.yaml"));
    assertThat(e.errors()).containsExactly("file not found");
    assertThat(e.getMessage()).contains("nope.yaml");
  }

  @Test
  @DisplayName("An invalid config.yaml fails before its services file is even read")
  void invalidConfig() throws Exception {
    Path config = write("config.yaml", "http:\n  port: nope\n");
    assertThatThrownBy(() -> ConfigLoader.load(vertx, config).await())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port: must be a whole number");
  }

  @Test
  @DisplayName("Environment variables override host, port and bus; a bad value is reported like one in the file")
  void environmentOverrides() {
    var json = new io.vertx.core.json.JsonObject().put("http", new io.vertx.core.json.JsonObject().put("port", 1));
    var env = java.util.Map.of("SERVICE_MANAGER_HTTP_HOST", "0.0.0.0", "SERVICE_MANAGER_HTTP_PORT", "9090",
        "SERVICE_MANAGER_SYSTEMD_BUS", "user");
    AppConfig app = ConfigValidator.validateApp(ConfigLoader.withEnvironment(json, env), dir).value();
    assertThat(app.httpHost()).isEqualTo("0.0.0.0");
    assertThat(app.httpPort()).isEqualTo(9090);
    assertThat(app.bus()).isEqualTo("user");
    assertThat(ConfigValidator.validateApp(ConfigLoader.withEnvironment(json,
        java.util.Map.of("SERVICE_MANAGER_HTTP_PORT", "eighty")), dir).errors())
        .containsExactly("http.port: must be a whole number from 0 to 65535 (got \"eighty\")");
  }
}
