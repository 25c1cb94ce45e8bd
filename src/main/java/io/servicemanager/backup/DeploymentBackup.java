package io.servicemanager.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup before each deployment: at start, before anything opens or migrates the database, a
 * release other than the one recorded at the last start first backs up the installation, then is
 * recorded ({@code last-started-version} in the state directory). The very first start only
 * records. Blocking; run before the application is deployed.
 */
public final class DeploymentBackup {
  public static final String RECORD = "last-started-version";
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentBackup.class);

  private final BackupWriter writer;
  private final String release;

  public DeploymentBackup(BackupWriter writer, String release) {
    this.writer = writer;
    this.release = release;
  }

  /**
   * @return the backup taken, or empty when the release is the one that ran last (or none ran yet)
   * @throws BackupException when the backup or the record cannot be written: start-up stops rather
   *     than run a new release without the backup it promised
   */
  public Optional<Path> beforeStart(Installation installation) {
    Path record = installation.stateDirectory().resolve(RECORD);
    String last = lastStarted(record);
    Optional<Path> backup = Optional.empty();
    if (last != null && !last.equals(release)) {
      Path written = writer.write(installation, writer.defaultOutput(installation, "before-" + safe(release))).file();
      LOG.info("Release {} follows {}: backed up the configuration, the insight database and the history to {}",
          release, last, written);
      backup = Optional.of(written);
    }
    if (!release.equals(last)) {
      write(record);
    }
    return backup;
  }

  private static String lastStarted(Path record) {
    try {
      return Files.readString(record, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BackupException("cannot read " + record + ": " + e, e);
    }
  }

  private void write(Path record) {
    try {
      BackupWriter.createPrivateFolder(record.getParent());
      Path temp = Files.createTempFile(record.getParent(), "." + RECORD, ".new");
      try {
        Files.writeString(temp, release + "\n", StandardCharsets.UTF_8);
        Files.move(temp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new BackupException("cannot record the release in " + record + ": " + e, e);
    }
  }

  /** A release as part of a file name. */
  private static String safe(String release) {
    return release.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
