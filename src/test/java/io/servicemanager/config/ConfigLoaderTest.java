package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final String PZSERVER = "services:\n  pzserver:\n    display_name: PZ\n    description: game\n"
      + "    permissions_required: restart\n    status_check_allowed: true\n";

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

  static Path fixture(String name) throws Exception {
    return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
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
    assertThat(loaded.app()).isEqualTo(new AppConfig("127.0.0.1", 8080, "system",
        Path.of("conf/services.yaml").toAbsolutePath(), Path.of("data/history.jsonl").toAbsolutePath())
        .with(b -> b.configHistory = new AppConfig.ConfigHistory(Path.of("data/config-history").toAbsolutePath(),
            Path.of("conf/config.yaml").toAbsolutePath())));
    assertThat(loaded.services().all()).extracting(ServiceDefinition::name).containsExactly("pzserver", "sample-service");
    assertThat(loaded.services().find("pzserver").orElseThrow()).isEqualTo(new ServiceDefinition("pzserver",
        "pzserver.service", "PZServer Game Server", "Project Zomboid dedicated game server", Permission.RESTART, true));
    assertThat(loaded.services().find("sample-service").orElseThrow()).isEqualTo(new ServiceDefinition("sample-service",
        "sample-service.service", "Sample Service", "A sample service for testing", Permission.ALL, true));
  }

  @Test
  @DisplayName("The shipped conf/config.yaml spells out exactly the defaults")
  void shippedConfigIsTheDefaults() {
    AppConfig shipped = ConfigLoader.load(vertx, Path.of("conf/config.yaml")).await().app();
    AppConfig defaults = ConfigValidator.validateApp(new JsonObject(), Path.of("conf").toAbsolutePath()).value();
    // The loader adds which config.yaml it read, whose versions the history keeps.
    assertThat(shipped).isEqualTo(defaults.with(b -> b.configHistory = new AppConfig.ConfigHistory(
        defaults.configHistory().dir(), Path.of("conf/config.yaml").toAbsolutePath())));
  }

  @Test
  @DisplayName("An absent config.yaml means every default, with services.yaml next to where it would be")
  void absentConfig() throws Exception {
    write("services.yaml", PZSERVER);
    var loaded = ConfigLoader.load(vertx, dir.resolve("config.yaml")).await();
    assertThat(loaded.app()).isEqualTo(new AppConfig("127.0.0.1", 8080, "system",
        dir.resolve("services.yaml"), dir.getParent().resolve("data/history.jsonl")).with(b -> b.configHistory = 
            new AppConfig.ConfigHistory(dir.getParent().resolve("data/config-history"), dir.resolve("config.yaml"))));
    assertThat(loaded.services().size()).isEqualTo(1);
  }

  @Test
  @DisplayName("An empty or comment-only config.yaml means every default too")
  void emptyConfig() throws Exception {
    write("services.yaml", PZSERVER);
    Path config = write("config.yaml", "");
    assertThat(ConfigLoader.load(vertx, config).await().app().httpPort()).isEqualTo(8080);
    write("config.yaml", "# nothing to change\n");
    assertThat(ConfigLoader.load(vertx, config).await().app().bus()).isEqualTo("system");
  }

  @Test
  @DisplayName("Relative services_file and history_file resolve against config.yaml's folder, not the working directory")
  void relativePaths() throws Exception {
    Path config = fixture("relative/conf/config.yaml");
    var loaded = ConfigLoader.load(vertx, config).await();
    assertThat(loaded.app().servicesFile()).isEqualTo(config.getParent().resolve("units/services.yaml"));
    assertThat(loaded.app().historyFile()).isEqualTo(config.getParent().getParent().resolve("var/history.jsonl"));
    assertThat(loaded.services().find("worker@1").orElseThrow().unit()).isEqualTo("worker@1.service");
  }

  @Test
  @DisplayName("A notification naming a service the services file lacks fails the load, naming config.yaml and the path")
  void notificationForUnknownService() throws Exception {
    write("services.yaml", PZSERVER);
    Path config = write("config.yaml", "notifications:\n  - url: https://example.com/hook\n"
        + "    events: [status]\n    services: [pzserver, pzsrever]\n");
    assertThatThrownBy(() -> ConfigLoader.load(vertx, config).await())
        .isInstanceOf(ConfigException.class)
        .hasMessage(config + ": notifications[0].services[1]: no service \"pzsrever\" in the services file");
  }

  @Test
  @DisplayName("A Discord webhook and public metrics load from config.yaml")
  void notificationsAndMetrics() throws Exception {
    write("services.yaml", PZSERVER);
    Path config = write("config.yaml", "metrics:\n  public: true\nnotifications:\n"
        + "  - url: https://discord.com/api/webhooks/1/token\n    events: [operation]\n    format: discord\n");
    AppConfig app = ConfigLoader.load(vertx, config).await().app();
    assertThat(app.metricsPublic()).isTrue();
    assertThat(app.notifications()).singleElement()
        .satisfies(t -> assertThat(t.format()).isEqualTo(NotificationTarget.Format.DISCORD));
  }

  @Test
  @DisplayName("A missing services file is an error with its path")
  void missingFile() {
    ConfigException e = failure(dir.resolve("nope.yaml"));
    assertThat(e.errors()).containsExactly("file not found");
    assertThat(e.getMessage()).isEqualTo(dir.resolve("nope.yaml") + ": file not found");
  }

  @Test
  @DisplayName("An absent config.yaml is fine, but the services file it implies must exist")
  void absentConfigAndServices() {
    assertThatThrownBy(() -> ConfigLoader.load(vertx, dir.resolve("config.yaml")).await())
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("services.yaml") + ": file not found");
  }

  @Test
  @DisplayName("An empty services file is an error naming the file, as is one of only blanks, comments and ---")
  void emptyFile() throws Exception {
    ConfigException e = failure(write("services.yaml", ""));
    assertThat(e.errors()).containsExactly("file is empty");
    assertThat(e.getMessage()).isEqualTo(dir.resolve("services.yaml") + ": file is empty");
    assertThat(failure(write("blank.yaml", "  \n\n")).errors()).containsExactly("file is empty");
    assertThat(failure(write("comments.yaml", "# nothing here\n---\n  # still nothing\n")).errors())
        .containsExactly("file is empty");
  }

  @Test
  @DisplayName("A file holding an empty mapping is read and validated, not called empty")
  void emptyMapping() throws Exception {
    assertThat(failure(write("services.yaml", "{}\n")).errors()).containsExactly("missing field services");
  }

  @Test
  @DisplayName("A YAML syntax error is reported with its line and column")
  void syntaxError() throws Exception {
    ConfigException e = failure(fixture("syntax-error.yaml"));
    assertThat(e.errors()).containsExactly("YAML syntax error at line 4, column 33: mapping values are not allowed here");
    assertThat(e.getMessage()).endsWith("syntax-error.yaml: YAML syntax error at line 4, column 33: "
        + "mapping values are not allowed here");
  }

  @Test
  @DisplayName("A YAML syntax error that spans lines names where the broken construct starts")
  void syntaxErrorWithContext() throws Exception {
    ConfigException e = failure(write("services.yaml", "services:\n  pzserver:\n    display_name: [oops\n    description: d\n"));
    assertThat(e.errors()).containsExactly("YAML syntax error at line 4, column 16: expected ',' or ']', but got :"
        + " (while parsing a flow sequence that starts at line 3, column 19)");
  }

  @Test
  @DisplayName("A top level that is a list or a plain value is an error")
  void notAMapping() throws Exception {
    assertThat(failure(write("list.yaml", "- a\n- b\n")).errors())
        .containsExactly("the top level must be a mapping of keys to values");
    assertThat(failure(write("scalar.yaml", "pzserver\n")).errors())
        .containsExactly("the top level must be a mapping of keys to values");
  }

  @Test
  @DisplayName("More than one YAML document in a file is an error at the second one")
  void twoDocuments() throws Exception {
    assertThat(failure(write("two.yaml", PZSERVER + "---\n" + PZSERVER)).errors()).singleElement().asString()
        .startsWith("YAML syntax error at line 7, column 1: but found another document");
  }

  @Test
  @DisplayName("Every mistake in a services file is reported at once, each with its path, one per line")
  void everyErrorAtOnce() throws Exception {
    Path file = fixture("every-error.yaml");
    ConfigException e = failure(file);
    assertThat(e.errors()).containsExactly(
        "colour: unknown field (known: services, version)",
        "version: must be a whole number, 1 or more (absent means 1) (got 0)",
        "services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")",
        "services.pzserver.status_check_allowed: must be true or false (got \"yes\")",
        "services.sample-service.colour: unknown field "
            + "(known: confirm_restart, description, display_name, logs_allowed, permissions_required, status_check_allowed)",
        "services.sample-service: missing field description",
        "services.\"bad;name\": not a valid systemd unit name "
            + "(character ';' is not allowed, only A-Z a-z 0-9 : - _ . \\ @)",
        "services.worker@: not a valid systemd unit name "
            + "(a template without an instance is not a unit that can run; write name@instance)",
        "services.worker@.display_name: must be a non-empty string (got \"\")",
        "services.worker@.description: must be a non-empty string (got 42)");
    assertThat(e.getMessage().lines()).hasSize(10).allMatch(line -> line.startsWith(file + ": "));
  }

  @Test
  @DisplayName("A key written twice in one mapping is an error with both lines, since the last would win silently")
  void duplicateKeys() throws Exception {
    assertThat(failure(fixture("duplicate-keys.yaml")).errors()).containsExactly(
        "services.pzserver.permissions_required: duplicate key (lines 6 and 8)",
        "services.pzserver: duplicate key (lines 3 and 9)");
  }

  @Test
  @DisplayName("An invalid config.yaml fails before its services file is even read")
  void invalidConfig() throws Exception {
    Path config = write("config.yaml", "http:\n  port: nope\n");
    assertThatThrownBy(() -> ConfigLoader.load(vertx, config).await())
        .isInstanceOf(ConfigException.class)
        .hasMessage(config + ": http.port: must be a whole number from 0 to 65535 (got \"nope\")");
  }

  @Test
  @DisplayName("Environment variables override host, port and bus; a bad value is reported like one in the file")
  void environmentOverrides() {
    JsonObject json = new JsonObject().put("http", new JsonObject().put("port", 1));
    var env = Map.of("SERVICE_MANAGER_HTTP_HOST", "0.0.0.0", "SERVICE_MANAGER_HTTP_PORT", "9090",
        "SERVICE_MANAGER_SYSTEMD_BUS", "user");
    AppConfig app = ConfigValidator.validateApp(ConfigLoader.withEnvironment(json, env), dir).value();
    assertThat(app.httpHost()).isEqualTo("0.0.0.0");
    assertThat(app.httpPort()).isEqualTo(9090);
    assertThat(app.bus()).isEqualTo("user");
    assertThat(ConfigValidator.validateApp(ConfigLoader.withEnvironment(json,
        Map.of("SERVICE_MANAGER_HTTP_PORT", "eighty")), dir).errors())
        .containsExactly("http.port: must be a whole number from 0 to 65535 (got \"eighty\")");
  }

  @Test
  @DisplayName("An environment override does not hide a section of the file that is not a mapping")
  void environmentKeepsBadSection() {
    JsonObject json = new JsonObject().put("http", "localhost");
    assertThat(ConfigValidator.validateApp(ConfigLoader.withEnvironment(json,
        Map.of("SERVICE_MANAGER_HTTP_PORT", "9090")), dir).errors())
        .containsExactly("http: must be a mapping (got \"localhost\")");
  }
}
