package io.servicemanager.backup;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.Main;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.Version;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup and restore as an administrator meets them — separate JVMs, exit statuses, what they print —
 * around managers running on a real systemd.
 */
class BackupRestoreIT {
  private static final String ONE = TestConfigs.SLEEPER_YAML;
  private static final String TWO = TestConfigs.SLEEPER_AND_EXITS_YAML;

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/exits-one.service");

  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static Run run(String... args) throws Exception {
    Process p = new ProcessBuilder(java(args)).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertThat(p.waitFor(120, SECONDS)).as("finished").isTrue();
    return new Run(p.exitValue(), out.get(30, SECONDS), err.get(30, SECONDS));
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** site/conf with the three files, the state in site/data (every default path). */
  private Path site(String name, String services) throws Exception {
    Path conf = Files.createDirectories(dir.resolve(name).resolve("conf"));
    Files.writeString(conf.resolve("services.yaml"), services);
    TestConfigs.writeUsers(conf.resolve("users.yaml"));
    return Files.writeString(conf.resolve("config.yaml"), "systemd:\n  bus: \"" + systemd.busAddress() + "\"\nhttp:\n  port: 0\n");
  }

  private static Application start(Vertx vertx, Path config, BlockingQueue<JsonObject> versions) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_VERSION, m -> versions.add(m.body())).completion().await();
    var loaded = ConfigLoader.load(vertx, config).await();
    return Application.deploy(vertx, loaded.app(), loaded.services()).await();
  }

  private static String nextVersion(BlockingQueue<JsonObject> versions) throws InterruptedException {
    JsonObject version = versions.poll(60, SECONDS);
    assertThat(version).as("a new version").isNotNull();
    return version.getString("message");
  }

  @Test
  @DisplayName("A backup taken while the manager runs, restored onto a fresh directory, starts a manager with the same "
      + "services, operations and history; restore prints the polkit reminder")
  void roundTripThenStart() throws Exception {
    Path a = site("a", ONE);
    Path backup = dir.resolve("site-a.tar.gz");
    Vertx first = Vertx.vertx();
    try {
      BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();
      Application app = start(first, a, versions);
      assertThat(nextVersion(versions)).startsWith("first version");
      Path next = Files.writeString(a.resolveSibling("services.yaml.new"), TWO);
      Files.move(next, a.resolveSibling("services.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(nextVersion(versions)).isEqualTo("services: +exits-one (restart)");
      HttpResponse<Buffer> restart = TestConfigs.client(first).post(app.httpPort(), "127.0.0.1", "/api/services/sleeper/restart")
          .send().await();
      assertThat(restart.statusCode()).as(restart.bodyAsString()).isEqualTo(200);

      Run made = run("backup", "--config", a.toString(), "--output", backup.toString());
      assertThat(made.status()).as(made.err()).isZero();
      assertThat(made.out()).contains("Backed up config.yaml, services.yaml, users.yaml, the insight database and the configuration history")
          .contains(backup.toString());
    } finally {
      first.close().await();
    }

    Path b = dir.resolve("b/conf/config.yaml");
    Run restored = run("restore", backup.toString(), "--config", b.toString());
    assertThat(restored.status()).as(restored.err()).isZero();
    assertThat(restored.out()).contains("Restored").contains("polkit-rules --user service-manager --config " + b);
    assertThat(dir.resolve("b/data/secret.key")).as("no session key travels").doesNotExist();

    Vertx second = Vertx.vertx();
    try {
      BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();
      Application app = start(second, b, versions);
      JsonObject services = TestConfigs.client(second).get(app.httpPort(), "127.0.0.1", "/api/services").send().await().bodyAsJsonObject();
      assertThat(services.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("name")))
          .containsExactlyInAnyOrder("sleeper", "exits-one");
      JsonObject history = TestConfigs.client(second).get(app.httpPort(), "127.0.0.1", "/api/history").send().await().bodyAsJsonObject();
      assertThat(history.getJsonArray("entries").stream().map(e -> (JsonObject) e))
          .anyMatch(e -> "sleeper".equals(e.getString("service")) && "restart".equals(e.getString("action")));
    } finally {
      second.close().await();
    }
    try (ConfigRepository history = ConfigRepository.open(dir.resolve("b/data/config-history"))) {
      assertThat(history.log()).extracting(Version::message).containsSequence("services: +exits-one (restart)")
          .last().asString().startsWith("first version");
    }
  }

  @Test
  @DisplayName("restore while the manager runs: what it replaces is kept first, and the watcher applies the restored "
      + "services.yaml like any edit, while the database is restored under the running manager")
  void restoreUnderARunningManager() throws Exception {
    Path a = site("a", ONE);
    Vertx vertx = Vertx.vertx();
    try {
      BlockingQueue<JsonObject> versions = new LinkedBlockingQueue<>();
      BlockingQueue<JsonObject> catalogues = new LinkedBlockingQueue<>();
      Application app = start(vertx, a, versions);
      assertThat(nextVersion(versions)).startsWith("first version");
      Path backup = dir.resolve("one.tar.gz");
      assertThat(run("backup", "--config", a.toString(), "--output", backup.toString()).status()).isZero();
      vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> catalogues.add(m.body())).completion().await();
      Path next = Files.writeString(a.resolveSibling("services.yaml.new"), TWO);
      Files.move(next, a.resolveSibling("services.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(nextVersion(versions)).isEqualTo("services: +exits-one (restart)");
      assertThat(catalogues.poll(60, SECONDS).getJsonObject("services").fieldNames()).containsExactlyInAnyOrder("sleeper", "exits-one");

      Run restored = run("restore", backup.toString(), "--config", a.toString());
      assertThat(restored.status()).as(restored.err()).isZero();
      assertThat(restored.out()).contains("What it replaces is kept in " + dir.resolve("a/data/backups/before-restore-"))
          .contains("polkit-rules --user service-manager");
      JsonObject applied = catalogues.poll(60, SECONDS);
      assertThat(applied).as("the watcher applied the restored file").isNotNull();
      assertThat(applied.getJsonObject("services").fieldNames()).containsExactly("sleeper");
      HttpResponse<Buffer> restart = TestConfigs.client(vertx).post(app.httpPort(), "127.0.0.1", "/api/services/sleeper/restart")
          .send().await();
      assertThat(restart.statusCode()).as("the manager records into the restored database: " + restart.bodyAsString()).isEqualTo(200);
    } finally {
      vertx.close().await();
    }
    try (var kept = Files.list(dir.resolve("a/data/backups"))) {
      Path safety = kept.filter(p -> p.getFileName().toString().startsWith("before-restore-")).findFirst().orElseThrow();
      assertThat(new String(Fixture.entries(safety).get("config/services.yaml"), StandardCharsets.UTF_8)).isEqualTo(TWO);
    }
  }

  @Test
  @DisplayName("restore of a backup that does not validate exits 2 with every error, and every file stays byte-identical")
  void refusedRestoreChangesNothing() throws Exception {
    Path a = site("a", ONE);
    Path backup = dir.resolve("a.tar.gz");
    assertThat(run("backup", "--config", a.toString(), "--output", backup.toString()).status()).isZero();
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>(Fixture.entries(backup));
    entries.put("config/services.yaml", ONE.replace("permissions_required: all", "permissions_required: everything")
        .getBytes(StandardCharsets.UTF_8));
    entries.put("config/users.yaml", "users:\n  bob:\n    role: emperor\n".getBytes(StandardCharsets.UTF_8));
    Path bad = Fixture.archive(dir.resolve("bad.tar.gz"), entries);
    Files.writeString(a.resolveSibling("services.yaml"), TWO);
    Map<String, String> before = Fixture.snapshot(dir.resolve("a"));
    Run refused = run("restore", bad.toString(), "--config", a.toString());
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("cannot be restored, nothing was replaced").contains("everything").contains("emperor");
    Fixture.assertUnchanged(dir.resolve("a"), before);
  }

  @Test
  @DisplayName("The manager started by a release other than the last one backs up first, logs where, and records itself")
  void deploymentBackup() throws Exception {
    Path a = site("a", ONE);
    Path data = Files.createDirectories(dir.resolve("a/data"));
    Files.writeString(data.resolve("last-started-version"), "0.0.1\n");
    String line;
    Process manager = new ProcessBuilder(java("--config", a.toString())).redirectErrorStream(true).start();
    try {
      CompletableFuture<String> logged = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(manager.getInputStream(), StandardCharsets.UTF_8))) {
          for (String read; (read = lines.readLine()) != null; ) {
            if (read.contains("follows 0.0.1")) {
              return read;
            }
          }
          return "ended without the line";
        } catch (java.io.IOException e) {
          return e.toString();
        }
      });
      line = logged.get(120, SECONDS);
      assertThat(line).contains("backed up the configuration, the insight database and the history to " + data.resolve("backups"));
    } finally {
      manager.destroy();
      assertThat(manager.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    }
    try (var backups = Files.list(data.resolve("backups"))) {
      assertThat(backups.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("before-").endsWith(".tar.gz");
    }
    String recorded = Files.readString(data.resolve("last-started-version")).strip();
    assertThat(recorded).isNotBlank().isNotEqualTo("0.0.1");
    assertThat(line).contains("Release " + recorded + " follows 0.0.1");
  }
}
