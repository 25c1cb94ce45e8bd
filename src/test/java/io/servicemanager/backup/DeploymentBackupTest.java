package io.servicemanager.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.LogCapture;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentBackupTest {
  @TempDir Path dir;
  private Vertx vertx;
  private Installation installation;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    installation = Fixture.of(vertx, Fixture.installation(dir));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Optional<Path> start(String release) {
    return new DeploymentBackup(Fixture.writer(), release).beforeStart(installation);
  }

  private Path record() {
    return installation.stateDirectory().resolve("last-started-version");
  }

  @Test
  @DisplayName("The very first start records its release and backs up nothing")
  void firstStartRecordsOnly() throws Exception {
    assertThat(start("1.0.0")).isEmpty();
    assertThat(record()).hasContent("1.0.0");
    assertThat(installation.backups()).doesNotExist();
  }

  @Test
  @DisplayName("Starting the same release again backs up nothing")
  void sameReleaseDoesNothing() throws Exception {
    start("1.0.0");
    assertThat(start("1.0.0")).isEmpty();
    assertThat(installation.backups()).doesNotExist();
  }

  @Test
  @DisplayName("A new release backs up the installation first, logs where, then records itself")
  void newReleaseBacksUpFirst() throws Exception {
    start("1.0.0");
    Optional<Path> backup;
    try (LogCapture log = LogCapture.start()) {
      backup = start("1.1.0");
      assertThat(backup).isPresent();
      assertThat(log.at("INFO")).anyMatch(line -> line.contains("Release 1.1.0 follows 1.0.0") && line.contains(backup.get().toString()));
    }
    assertThat(backup.get()).hasParent(installation.backups());
    assertThat(backup.get().getFileName().toString()).startsWith("before-1.1.0-").endsWith(".tar.gz");
    assertThat(Fixture.entries(backup.get())).containsKeys("manifest.json", "config/services.yaml", "insight/servicemanager.db", "config-history/HEAD");
    assertThat(record()).hasContent("1.1.0");
    assertThat(start("1.1.0")).as("recorded: no second backup").isEmpty();
    try (var files = Files.list(installation.backups())) {
      assertThat(files).hasSize(1);
    }
  }
}
