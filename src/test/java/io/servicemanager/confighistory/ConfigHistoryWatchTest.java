package io.servicemanager.confighistory;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.auth.UsersWatcherVerticle;
import io.servicemanager.cli.ConfigCommand;
import io.servicemanager.config.ConfigWatcherVerticle;
import io.servicemanager.testing.CommandRun;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The history as the running manager keeps it: real files in a temporary folder, the real watchers
 * (services and users) and the history verticle, and the {@code config} commands run in-process.
 */
class ConfigHistoryWatchTest {
  private static final String CONFIG_YAML = "http:\n  port: 0\nhistory_file: history.jsonl\n"
      + "config_history:\n  dir: config-history\nauth:\n  secret_file: secret.key\n";

  @TempDir Path dir;
  private Vertx vertx;
  private Path config;
  private Path services;
  private Path users;
  private final BlockingQueue<JsonObject> catalogues = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> userOutcomes = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();


  static String services(int n, String level) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 1; i <= n; i++) {
      yaml.append(ChangeSummaryTest.service("unit" + i, level, true));
    }
    return yaml.toString();
  }

  static String users(String extra) {
    return "users:\n  " + TestConfigs.OPERATOR + ":\n    password: \"" + TestConfigs.operatorHash()
        + "\"\n    role: operator\n" + extra;
  }

  static String token(int i) {
    return "tokens:\n  t" + i + ":\n    sha256: \"" + String.format("%064x", i) + "\"\n    role: viewer\n";
  }

  @BeforeEach
  void start() throws Exception {
    config = Files.writeString(dir.resolve("config.yaml"), CONFIG_YAML);
    services = Files.writeString(dir.resolve("services.yaml"), services(1, "restart"));
    users = Files.writeString(dir.resolve("users.yaml"), users(""));
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> catalogues.add(m.body())).completion().await();
    vertx.eventBus().<JsonObject>consumer(Addresses.USERS, m -> userOutcomes.add(m.body())).completion().await();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
    vertx.deployVerticle(new ConfigHistoryVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("dir", dir.resolve("config-history").toString()).put("config_file", config.toString())
        .put("services_file", services.toString()).put("users_file", users.toString()))).await();
    vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("services_file", services.toString()).put("scan_period_ms", 50))).await();
    vertx.deployVerticle(new UsersWatcherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("users_file", users.toString()).put("services", new JsonArray().add("unit1")).put("scan_period_ms", 50))).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** As editors and tools should save: the watcher never sees a half-written file. */
  private static void replace(Path file, String content) throws Exception {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonObject next(BlockingQueue<JsonObject> queue, String what) throws InterruptedException {
    JsonObject message = queue.poll(30, SECONDS);
    assertThat(message).as(what).isNotNull();
    return message;
  }

  private ConfigRepository history() {
    return ConfigRepository.open(dir.resolve("config-history"));
  }

  private CommandRun config(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return CommandRun.of(() -> new CommandLine(new ConfigCommand()).execute(all.toArray(String[]::new)));
  }

  @Test
  @DisplayName("After 20 valid and invalid edits through the real watchers, the history holds exactly the accepted versions, newest first")
  void exactlyTheAcceptedVersions() throws Exception {
    JsonObject first = next(versions, "the version at start");
    assertThat(first.getString("message")).isEqualTo("first version: 1 service, 1 user, 0 tokens");
    List<Map<String, String>> accepted = new ArrayList<>();
    accepted.add(Map.of(ConfigFiles.CONFIG, CONFIG_YAML, ConfigFiles.SERVICES, services(1, "restart"),
        ConfigFiles.USERS, users("")));
    String servicesNow = services(1, "restart");
    String usersNow = users("");
    for (int i = 1; i <= 20; i++) {
      boolean valid = i % 3 != 0 && i != 19; // the last edit is valid: every version before it has arrived by then
      if (i % 2 == 1) {
        String text = valid ? services(1 + i / 2, i % 4 == 1 ? "all" : "restart")
            : services(2, "restrat" + i); // each bad edit with errors of its own, so each is reported
        replace(services, text);
        JsonObject outcome = next(catalogues, "the services watcher's outcome of edit " + i);
        assertThat(outcome.containsKey("errors")).as("edit " + i + " rejected").isEqualTo(!valid);
        if (valid) {
          servicesNow = text;
        }
      } else {
        String text = valid ? users(token(i)) : users("  bob" + i + ":\n    password: x\n    role: admin\n");
        replace(users, text);
        JsonObject outcome = next(userOutcomes, "the users watcher's outcome of edit " + i);
        assertThat(outcome.containsKey("errors")).as("edit " + i + " rejected").isEqualTo(!valid);
        if (valid) {
          usersNow = text;
        }
      }
      if (valid) {
        next(versions, "the version of edit " + i);
        accepted.add(Map.of(ConfigFiles.CONFIG, CONFIG_YAML, ConfigFiles.SERVICES, servicesNow, ConfigFiles.USERS, usersNow));
      }
    }
    assertThat(accepted).hasSize(1 + 13);
    try (ConfigRepository history = history()) {
      List<Version> log = history.log();
      List<Map<String, String>> newestFirst = new ArrayList<>(accepted);
      Collections.reverse(newestFirst);
      assertThat(log.stream().map(history::files).toList()).isEqualTo(newestFirst);
      assertThat(log.get(0).message()).isEqualTo("tokens: +t20 (viewer); -t16");
      assertThat(log.get(log.size() - 2).message()).isEqualTo("services: unit1 restart→all");
    }
    CommandRun log = config("log");
    assertThat(log.status()).as(log.err()).isZero();
    try (ConfigRepository history = history()) {
      assertThat(log.out().lines().toList()).hasSize(14).allSatisfy(line -> assertThat(line).matches("[0-9a-f]{7}  .*"))
          .first().asString().startsWith(history.log().get(0).rev() + "  ").endsWith("  tokens: +t20 (viewer); -t16");
    }
  }

  @Test
  @DisplayName("config rollback puts a version back through the watchers, which record it as a new version; the units changed, so it prints the polkit-rules command")
  void rollbackThroughTheWatcher() throws Exception {
    next(versions, "the version at start");
    replace(services, services(2, "restart"));
    next(catalogues, "two services applied");
    next(versions, "two services");
    Version one;
    try (ConfigRepository history = history()) {
      one = history.log().get(1);
    }
    CommandRun rollback = config("rollback", one.rev());
    assertThat(rollback.status()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("Put back services.yaml as in " + one.rev())
        .contains("service-manager polkit-rules --user service-manager --config " + config
            + " > /etc/polkit-1/rules.d/50-service-manager.rules");
    assertThat(Files.readString(services)).isEqualTo(services(1, "restart"));
    assertThat(next(catalogues, "the watcher applied it").getJsonObject("services").fieldNames()).containsExactly("unit1");
    assertThat(next(versions, "the rollback's version").getString("message")).isEqualTo("services: -unit2");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").noneMatch(n -> n.endsWith(".rollback"));
    }
    CommandRun diff = config("diff", one.rev(), "HEAD~1");
    assertThat(diff.status()).as(diff.err()).isZero();
    assertThat(diff.out()).startsWith(one.rev() + " → ").contains(": services: +unit2 (restart)\n")
        .contains("--- a/services.yaml\t(" + one.rev() + ")").contains("+  unit2:");
    CommandRun show = config("show", "HEAD", "services.yaml");
    assertThat(show.out()).isEqualTo(services(1, "restart"));
    assertThat(config("rollback", one.rev()).out()).startsWith("Nothing to do");
  }

  @Test
  @DisplayName("A rollback that would not validate against today's files is refused with every error and writes nothing")
  void refusedRollback() throws Exception {
    next(versions, "the version at start");
    replace(services, services(2, "restart"));
    next(versions, "two services");
    String naming = users("  alice:\n    password: \"" + TestConfigs.operatorHash() + "\"\n    role: viewer\n    services: [unit2]\n"
        + "  bob:\n    password: \"" + TestConfigs.operatorHash() + "\"\n    role: viewer\n    services: [unit2, unit1]\n");
    replace(users, naming);
    next(versions, "users naming unit2");
    replace(services, services(1, "restart"));
    next(versions, "unit2 gone");
    String usersBefore = Files.readString(users);
    CommandRun refused = config("rollback", "HEAD~1", "users.yaml");
    assertThat(refused.status()).isEqualTo(2);
    String rev;
    try (ConfigRepository history = history()) {
      rev = history.resolve("HEAD~1").rev();
    }
    assertThat(refused.err()).contains(rev + " cannot be put back, nothing was written")
        .contains("users.yaml as in " + rev + ": users.alice.services[0]: no configured service is named \"unit2\"")
        .contains("users.yaml as in " + rev + ": users.bob.services[0]: no configured service is named \"unit2\"");
    assertThat(Files.readString(users)).isEqualTo(usersBefore);
    assertThat(Files.readString(services)).isEqualTo(services(1, "restart"));
  }

  @Test
  @DisplayName("A users file rejected for naming a service not configured yet is applied and recorded once that service comes, without another edit")
  void usersRecheckedWhenTheServiceComes() throws Exception {
    next(versions, "the version at start");
    String naming = users("  alice:\n    password: \"" + TestConfigs.operatorHash() + "\"\n    role: viewer\n    services: [unit2]\n");
    replace(users, naming);
    assertThat(next(userOutcomes, "rejected").getJsonArray("errors").encode()).contains("no configured service is named \\\"unit2\\\"");
    replace(services, services(2, "restart"));
    assertThat(next(versions, "services").getString("message")).isEqualTo("services: +unit2 (restart)");
    assertThat(next(userOutcomes, "applied under the new catalogue").containsKey("users")).isTrue();
    assertThat(next(versions, "users").getString("message")).isEqualTo("users: +alice (viewer)");
    try (ConfigRepository history = history()) {
      assertThat(history.files(history.resolve("HEAD"))).containsEntry(ConfigFiles.USERS, naming);
    }
  }

  @Test
  @DisplayName("An unknown REV, a bad FILE and a damaged history are clear errors with exit status 2, and nothing is replaced")
  void badInput() throws Exception {
    next(versions, "the version at start");
    String servicesBefore = Files.readString(services);
    CommandRun unknown = config("rollback", "0123456");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("config: unknown revision 0123456: `config log` lists the versions\n");
    CommandRun badFile = config("show", "HEAD", "secret.key");
    assertThat(badFile.status()).isEqualTo(2);
    assertThat(badFile.err()).contains("no file secret.key in the configuration history");
    vertx.close().await(); // the manager stopped; its history then damaged
    Path branch = dir.resolve("config-history/refs/heads/main");
    Files.writeString(branch, "0000000000000000000000000000000000000000\n");
    replace(services, services(3, "all"));
    for (String[] args : new String[][] {{"rollback", "HEAD"}, {"log"}, {"diff"}}) {
      CommandRun damaged = config(args);
      assertThat(damaged.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(damaged.err()).as(String.join(" ", args)).contains("is damaged").contains("nothing was changed");
    }
    assertThat(Files.readString(services)).isEqualTo(services(3, "all")).isNotEqualTo(servicesBefore);
  }
}
