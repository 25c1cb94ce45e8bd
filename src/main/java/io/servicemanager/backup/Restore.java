package io.servicemanager.backup;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.ConfigRollback;
import io.servicemanager.confighistory.HistoryException;
import io.servicemanager.insight.InsightBackup;
import io.servicemanager.insight.InsightDatabaseException;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts a backup back (DESIGN §5) in two steps. {@link #check} unpacks and validates everything — the
 * archive against its manifest, the three files together with the real validators (as a rollback
 * does), the database ({@code integrity_check}, a schema this release knows), the history — and
 * replaces nothing. {@link #apply} then backs up what it will replace and writes: the history
 * folder swapped in by rename, the database through SQLite's restore API (a running manager's
 * connections see it), the files by temporary file and rename, so the watchers apply them like any
 * edit. The restored config.yaml says where the rest goes, relative to the config.yaml given.
 * Blocking; for the command line.
 */
public final class Restore {
  /** A backup that passed every check, and where each part goes; close it when done. */
  public record Checked(BackupReader.Unpacked unpacked, Installation target, ConfigRollback rollback,
      ConfigRollback.Plan files) implements AutoCloseable {
    @Override
    public void close() {
      unpacked.close();
    }
  }

  /**
   * @param safetyBackup the backup of what was replaced, null when there was nothing
   * @param replaced what was written, in words
   * @param unitsChanged whether the units or their levels changed: the polkit rule must be generated again
   */
  public record Result(Installation target, Path safetyBackup, List<String> replaced, boolean unitsChanged,
      List<String> warnings) {}

  private static final String SOURCE = "the backup";

  private final Vertx vertx;
  private final BackupReader reader;
  private final BackupWriter writer;

  public Restore(Vertx vertx, BackupReader reader, BackupWriter writer) {
    this.vertx = vertx;
    this.reader = reader;
    this.writer = writer;
  }

  /** @throws BackupException with every problem; nothing was written */
  public Checked check(Path archive, Path config) {
    Path configFile = config.toAbsolutePath().normalize();
    BackupReader.Unpacked unpacked = reader.unpack(archive);
    try {
      List<String> errors = new ArrayList<>();
      Checked checked = null;
      Path restoredConfig = unpacked.file(Installation.CONFIG);
      // The restored config.yaml says where the rest goes; when it is invalid, the plan below reports
      // why, and the other two files are checked where a default config.yaml would look for them.
      Path services = configFile.resolveSibling("services.yaml");
      Path users = configFile.resolveSibling("users.yaml");
      Installation target = null;
      try {
        AppConfig app = ConfigLoader.loadOptional(vertx, restoredConfig == null ? unpacked.dir().resolve(Installation.CONFIG)
            : restoredConfig, json -> ConfigValidator.validateApp(json, configFile.getParent())).await();
        target = Installation.of(configFile, app);
        services = target.services();
        users = target.users();
      } catch (ConfigException e) {
        // Reported by the plan, with the other files' errors.
      }
      ConfigRollback rollback = new ConfigRollback(vertx, ConfigFiles.paths(configFile, services, users));
      try {
        ConfigRollback.Plan plan = rollback.plan(SOURCE, texts(unpacked), ConfigFiles.NAMES);
        checked = new Checked(unpacked, target, rollback, plan);
      } catch (ConfigRollback.Refused refused) {
        errors.addAll(refused.errors());
      }
      Path database = unpacked.file(Installation.DATABASE);
      if (database != null) {
        InsightBackup.problems(database).forEach(p -> errors.add(p + " (in " + SOURCE + ")"));
      }
      if (unpacked.history() != null) {
        try (ConfigRepository history = ConfigRepository.open(unpacked.history())) {
          history.log();
        } catch (HistoryException e) {
          errors.add("the configuration history in " + SOURCE + " is damaged: " + e.getMessage());
        }
      }
      if (!errors.isEmpty()) {
        throw new BackupException(errors);
      }
      return checked;
    } catch (RuntimeException e) {
      unpacked.close();
      throw e;
    }
  }

  /** Backs up what will be replaced, then writes the checked backup. */
  public Result apply(Checked checked) {
    Installation target = checked.target();
    BackupReader.Unpacked unpacked = checked.unpacked();
    List<String> replaced = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Path safety = null;
    if (anyExists(target)) {
      BackupWriter.Written kept = writer.write(target, writer.defaultOutput(target, "before-restore"), true);
      safety = kept.file();
      warnings.addAll(kept.warnings());
    }
    try {
      if (unpacked.history() != null) {
        replaceFolder(unpacked.history(), target.history(), warnings);
        replaced.add("the configuration history (" + target.history() + ")");
      }
      Path database = unpacked.file(Installation.DATABASE);
      if (database != null) {
        restoreDatabase(database, target.database(), warnings);
        replaced.add("the insight database (" + target.database() + ")");
      }
      for (Path file : List.of(target.config(), target.services(), target.users())) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new BackupException("cannot restore into " + target.stateDirectory() + ": " + e, e);
    }
    checked.rollback().write(checked.files());
    replaced.addAll(checked.files().changed().keySet());
    return new Result(target, safety, replaced, checked.files().unitsChanged(), warnings);
  }

  private static Map<String, String> texts(BackupReader.Unpacked unpacked) {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put(ConfigFiles.CONFIG, read(unpacked.file(Installation.CONFIG)));
    texts.put(ConfigFiles.SERVICES, read(unpacked.file(Installation.SERVICES)));
    texts.put(ConfigFiles.USERS, read(unpacked.file(Installation.USERS)));
    return texts;
  }

  private static String read(Path file) {
    return file == null ? null : ConfigFiles.read(file);
  }

  private static boolean anyExists(Installation target) {
    return Stream.of(target.config(), target.services(), target.users(), target.database(), target.history())
        .anyMatch(Files::exists);
  }

  /**
   * A complete copy beside the target, then two renames: the old folder aside, the new one in. A
   * running manager's history names its folder by path, so its next version lands in the new one.
   */
  private static void replaceFolder(Path from, Path target, List<String> warnings) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    BackupWriter.createPrivateFolder(parent);
    Path incoming = Files.createTempDirectory(parent, "." + target.getFileName() + ".restore-");
    Path old = null;
    try {
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : files.toList()) {
          Path copy = incoming.resolve(from.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(copy);
          } else {
            Files.copy(file, copy);
          }
        }
      }
      Owners.like(Files.exists(target) ? target : parent, incoming, warnings);
      if (Files.exists(target)) {
        old = Files.createTempDirectory(parent, "." + target.getFileName() + ".replaced-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Folders.deleteQuietly(Files.exists(incoming) ? incoming : null);
      Folders.deleteQuietly(old);
    }
  }

  /** Into a sound database through SQLite; otherwise a copy is made beside its place and renamed in. */
  private static void restoreDatabase(Path copy, Path target, List<String> warnings) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    BackupWriter.createPrivateFolder(parent);
    try {
      // A damaged database cannot take a restore through SQLite, and no manager runs on one: it is replaced by rename.
      if (Files.exists(target) && InsightBackup.problems(target).isEmpty()) {
        InsightBackup.restore(copy, target);
        for (String suffix : List.of("-wal", "-shm")) {
          Path file = target.resolveSibling(target.getFileName() + suffix);
          if (Files.exists(file)) {
            Owners.like(target, file, warnings);
          }
        }
      } else {
        Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".restore");
        try {
          Files.delete(temp);
          InsightBackup.copy(copy, temp);
          Owners.like(Files.exists(target) ? target : parent, temp, warnings);
          for (String suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(target.resolveSibling(target.getFileName() + suffix));
          }
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    } catch (InsightDatabaseException e) {
      throw new BackupException(e.getMessage(), e);
    }
  }
}
