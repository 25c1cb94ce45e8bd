package io.servicemanager.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.Version;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {
  @TempDir Path dir;
  private Vertx vertx;
  private Path config;
  private Installation installation;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    config = Fixture.installation(dir.resolve("old"));
    installation = Fixture.of(vertx, config);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Path backup() {
    BackupWriter writer = Fixture.writer();
    return writer.write(installation, writer.defaultOutput(installation, "service-manager")).file();
  }

  private static List<String> messages(Path history) {
    try (ConfigRepository repo = ConfigRepository.open(history)) {
      return repo.log().stream().map(Version::message).toList();
    }
  }

  @Test
  @DisplayName("A backup is one tar.gz, mode 0600, in backups/ of the state directory: a manifest with each file's SHA-256, "
      + "the three files, the database and the history, never the session key")
  void backupHoldsEverythingButTheKey() throws Exception {
    Path archive = backup();
    assertThat(archive).isEqualTo(dir.resolve("old/data/backups/service-manager-20261201T060000.000Z.tar.gz"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
    Map<String, byte[]> entries = Fixture.entries(archive);
    assertThat(entries.keySet()).first().isEqualTo("manifest.json");
    assertThat(entries.keySet()).contains("config/config.yaml", "config/services.yaml", "config/users.yaml",
        "insight/servicemanager.db", "config-history/HEAD").allMatch(name -> !name.contains("secret"));
    JsonObject manifest = new JsonObject(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
    assertThat(manifest.getString("format")).isEqualTo("service-manager-backup");
    assertThat(manifest.getString("service_manager")).isEqualTo("9.9.9");
    assertThat(manifest.getString("created")).isEqualTo("2026-12-01T06:00:00Z");
    assertThat(manifest.getJsonObject("files").getJsonObject("config/services.yaml").getString("sha256"))
        .isEqualTo(java.util.HexFormat.of().formatHex(Checksums.sha256().digest(Fixture.ONE.getBytes(StandardCharsets.UTF_8))));
    assertThat(manifest.getJsonObject("files").fieldNames()).hasSize(entries.size() - 1);
    assertThatThrownBy(this::backup).as("never over an existing file").hasMessageContaining("exists already");
  }

  @Test
  @DisplayName("Restored onto a fresh directory, the files are byte for byte as they were, the database has its rows "
      + "and the history its versions; no session key comes along and nothing had to be kept")
  void roundTripOntoAFreshDirectory() throws Exception {
    Path archive = backup();
    Path fresh = dir.resolve("new/conf/config.yaml");
    Restore restore = Fixture.restore(vertx);
    Restore.Result result;
    try (Restore.Checked checked = restore.check(archive, fresh)) {
      result = restore.apply(checked);
    }
    assertThat(result.safetyBackup()).isNull();
    assertThat(result.unitsChanged()).as("a fresh machine needs its polkit rule").isTrue();
    for (String file : List.of("config.yaml", "services.yaml", "users.yaml")) {
      assertThat(dir.resolve("new/conf/" + file)).hasSameBinaryContentAs(dir.resolve("old/conf/" + file));
    }
    assertThat(Fixture.operations(dir.resolve("new/data/servicemanager.db"))).isEqualTo(3);
    assertThat(messages(dir.resolve("new/data/config-history"))).containsExactly("services: +minecraft (all)",
        "first version: 1 service, 1 user, 0 tokens");
    assertThat(dir.resolve("new/data/secret.key")).doesNotExist();
  }

  @Test
  @DisplayName("A restore over an installation first backs up what it replaces, then puts the backup's files, rows and versions back")
  void restoreOverAnInstallationKeepsWhatItReplaces() throws Exception {
    Path archive = backup();
    Files.writeString(installation.services(), Fixture.service("other", "all"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + installation.database()); Statement s = c.createStatement()) {
      s.execute("DELETE FROM operations");
    }
    Restore restore = Fixture.restore(vertx);
    Restore.Result result;
    try (Restore.Checked checked = restore.check(archive, config)) {
      result = restore.apply(checked);
    }
    assertThat(result.unitsChanged()).isTrue();
    assertThat(result.replaced()).contains("services.yaml").doesNotContain("users.yaml", "config.yaml");
    assertThat(installation.services()).hasContent(Fixture.ONE);
    assertThat(Fixture.operations(installation.database())).isEqualTo(3);
    assertThat(result.safetyBackup()).isNotNull().hasParent(installation.backups());
    assertThat(result.safetyBackup().getFileName().toString()).startsWith("before-restore-");
    assertThat(new String(Fixture.entries(result.safetyBackup()).get("config/services.yaml"), StandardCharsets.UTF_8))
        .isEqualTo(Fixture.service("other", "all"));
    try (Restore.Checked again = restore.check(archive, config)) {
      assertThat(again.files().unitsChanged()).as("the same units again: no polkit reminder").isFalse();
    }
  }

  @Test
  @DisplayName("A damaged database is what a restore repairs: its bytes are kept in the backup of what is replaced, with a warning")
  void restoreOverADamagedDatabase() throws Exception {
    Path archive = backup();
    Files.writeString(installation.database(), "this is no database any more, it was damaged");
    Files.deleteIfExists(installation.database().resolveSibling("servicemanager.db-wal"));
    Restore restore = Fixture.restore(vertx);
    Restore.Result result;
    try (Restore.Checked checked = restore.check(archive, config)) {
      result = restore.apply(checked);
    }
    assertThat(result.warnings()).singleElement().asString().contains("not an SQLite database").contains("kept its bytes");
    assertThat(new String(Fixture.entries(result.safetyBackup()).get("insight/servicemanager.db"), StandardCharsets.UTF_8))
        .isEqualTo("this is no database any more, it was damaged");
    assertThat(Fixture.operations(installation.database())).isEqualTo(3);
  }

  @Test
  @DisplayName("A backup whose files, database and history do not validate is refused with every error, and every file stays byte-identical")
  void invalidBackupIsRefusedWithEveryError() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(backup()));
    entries.put("config/services.yaml", Fixture.service("pzserver", "restrat").getBytes(StandardCharsets.UTF_8));
    entries.put("insight/servicemanager.db", "this is no database, it only claims to be one".getBytes(StandardCharsets.UTF_8));
    entries.put("config-history/HEAD", "garbage\n".getBytes(StandardCharsets.UTF_8));
    Path bad = Fixture.archive(dir.resolve("bad.tar.gz"), entries);
    Files.writeString(installation.services(), Fixture.TWO);
    Map<String, String> before = Fixture.snapshot(dir.resolve("old"));
    assertThatThrownBy(() -> Fixture.restore(vertx).check(bad, config))
        .isInstanceOfSatisfying(BackupException.class, e -> assertThat(e.errors()).satisfiesExactlyInAnyOrder(
            error -> assertThat(error).contains("services.yaml as in the backup").contains("restrat"),
            error -> assertThat(error).contains("insight database").contains("not an SQLite database"),
            error -> assertThat(error).contains("configuration history in the backup is damaged")));
    Fixture.assertUnchanged(dir.resolve("old"), before);
  }

  @Test
  @DisplayName("backup with an invalid config.yaml, and restore of a file that does not exist, exit 2")
  void badInputExitsTwo() throws Exception {
    Files.writeString(config, "http:\n  port: eighty\n");
    assertThat(io.servicemanager.Main.commandLine().execute("backup", "--config", config.toString())).isEqualTo(2);
    Map<String, String> before = Fixture.snapshot(dir.resolve("old"));
    assertThat(io.servicemanager.Main.commandLine().execute("restore", dir.resolve("missing.tar.gz").toString(),
        "--config", config.toString())).isEqualTo(2);
    Fixture.assertUnchanged(dir.resolve("old"), before);
  }

  @Test
  @DisplayName("A database from a newer schema than this release knows is refused")
  void newerDatabaseIsRefused() throws Exception {
    Path copy = dir.resolve("newer.db");
    io.servicemanager.insight.InsightBackup.copy(installation.database(), copy);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(backup()));
    entries.put("insight/servicemanager.db", Files.readAllBytes(copy));
    Path newer = Fixture.archive(dir.resolve("newer.tar.gz"), entries);
    Map<String, String> before = Fixture.snapshot(dir.resolve("old"));
    assertThatThrownBy(() -> Fixture.restore(vertx).check(newer, config))
        .hasMessageContaining("schema version 99, newer than this Service Manager knows");
    Fixture.assertUnchanged(dir.resolve("old"), before);
  }
}
