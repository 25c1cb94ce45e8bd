package io.servicemanager.config;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigWatcherVerticleTest {
  private static final long SCAN_MS = 50;
  /** Long enough for many scans: a message that has not come by then is not coming. */
  private static final long QUIET_MS = 20 * SCAN_MS;
  private static final String ONE = ConfigLoaderTest.PZSERVER;
  private static final String TWO = ONE + "  sample-service:\n    display_name: Sample\n    description: d\n"
      + "    permissions_required: all\n    status_check_allowed: true\n";

  @TempDir Path dir;
  private Path services;
  private final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();

  @BeforeEach
  void files() throws Exception {
    services = Files.writeString(dir.resolve("services.yaml"), ONE);
  }

  private void deploy(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> published.add(m.body())).completion().await();
    vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("services_file", services.toString()).put("scan_period_ms", SCAN_MS))).await();
  }

  /** As editors and tools should save: the watcher never sees a half-written file. */
  private void replace(String content) throws Exception {
    Path next = Files.writeString(dir.resolve("services.yaml.new"), content);
    Files.move(next, services, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private JsonObject next() throws InterruptedException {
    JsonObject message = published.poll(10, SECONDS);
    assertThat(message).as("a message on " + Addresses.CONFIG).isNotNull();
    return message;
  }

  private void assertQuiet() throws InterruptedException {
    assertThat(published.poll(QUIET_MS, MILLISECONDS)).as("no message on " + Addresses.CONFIG).isNull();
  }

  @Test
  @DisplayName("The file as it is at start-up is not published again: the catalogue in force came from it")
  void quietAtStart(Vertx vertx) throws Exception {
    deploy(vertx);
    assertQuiet();
  }

  @Test
  @DisplayName("A valid change publishes the new catalogue in the services.yaml shape, in file order")
  void validChange(Vertx vertx) throws Exception {
    deploy(vertx);
    replace(TWO);
    JsonObject message = next();
    assertThat(message.fieldNames()).containsExactly("services");
    ServiceCatalogue catalogue = ServiceCatalogue.fromJson(message);
    assertThat(catalogue.all()).extracting(ServiceDefinition::name).containsExactly("pzserver", "sample-service");
    assertThat(catalogue.find("sample-service").orElseThrow().permission()).isEqualTo(Permission.ALL);
  }

  @Test
  @DisplayName("An invalid change publishes its errors, each naming the file and the path, once")
  void invalidChange(Vertx vertx) throws Exception {
    deploy(vertx);
    replace(ONE.replace("restart", "restrat"));
    assertThat(next().getJsonArray("errors")).containsExactly(
        "services.yaml: services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")");
    assertQuiet();
  }

  @Test
  @DisplayName("Saving the same content, or changing only a comment, publishes nothing")
  void noChange(Vertx vertx) throws Exception {
    deploy(vertx);
    replace(ONE);
    replace("# a comment changes nothing that matters\n" + ONE);
    assertQuiet();
    replace(TWO);
    assertThat(ServiceCatalogue.fromJson(next()).size()).as("the watcher still watches").isEqualTo(2);
  }

  @Test
  @DisplayName("Undoing a broken edit publishes the good catalogue again, so consumers can clear the errors")
  void undoBrokenEdit(Vertx vertx) throws Exception {
    deploy(vertx);
    replace("services:\n  pzserver: [oops\n");
    assertThat(next().getJsonArray("errors")).singleElement().asString().startsWith("services.yaml: YAML syntax error at line");
    replace(ONE);
    assertThat(ServiceCatalogue.fromJson(next()).all()).extracting(ServiceDefinition::name).containsExactly("pzserver");
  }

  @Test
  @DisplayName("A deleted services file is reported, and its return is noticed")
  void deletedFile(Vertx vertx) throws Exception {
    deploy(vertx);
    Files.delete(services);
    assertThat(next().getJsonArray("errors")).containsExactly("services.yaml: file not found");
    replace(ONE);
    assertThat(next().fieldNames()).containsExactly("services");
  }

  @Test
  @DisplayName("A file that is already invalid when the watcher starts is reported at once")
  void invalidAtStart(Vertx vertx) throws Exception {
    replace("");
    deploy(vertx);
    assertThat(next().getJsonArray("errors")).containsExactly("services.yaml: file is empty");
    assertQuiet();
  }
}
