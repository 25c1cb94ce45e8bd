package io.servicemanager.migrate;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.FileVersion;
import io.servicemanager.config.Validated;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRollback;
import io.servicemanager.insight.HistoryImport;
import io.servicemanager.insight.InsightStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code service-manager migrate}: the chain of migrations run over the configuration as found —
 * the original application's layout, each file's version {@link Upgrades}, a history.jsonl into the
 * insight database — planned without writing, the files it would leave validated together as
 * start-up would ({@link ConfigRollback}, which also writes them atomically so the watchers apply
 * them). Blocking; for the command line.
 */
public final class Migrator {
  /** Where the original Flask application kept its services, beside its app.py. */
  static final Path ORIGINAL_SERVICES = Path.of("config", "services.yaml");

  /** One pending step of the chain: what it does, and a note for each detail. */
  public record Step(String title, List<String> notes) {}

  /**
   * What a run would do.
   *
   * @param before today's files (name → text, null when absent)
   * @param after the files after the migration, validated
   * @param files the files to write and whether the units change (the polkit rule)
   * @param history what the history import would bring in; null when there is no history.jsonl
   */
  public record Plan(List<Step> steps, Map<String, String> before, Map<String, String> after, ConfigRollback.Plan files,
      HistoryImport.Report history) {
    public boolean pending() {
      return !steps.isEmpty();
    }
  }

  private final Vertx vertx;
  private final Path config;
  private final AppConfig app;
  private final Map<String, Path> paths;

  /** @throws ConfigException when config.yaml cannot be read or is invalid: nothing can be planned without it */
  public Migrator(Vertx vertx, Path configFile) {
    this.vertx = vertx;
    this.config = configFile.toAbsolutePath().normalize();
    this.app = ConfigLoader.loadOptional(vertx, config, json -> ConfigValidator.validateApp(json, config.getParent())).await();
    this.paths = ConfigFiles.paths(config, app.servicesFile(), app.auth().usersFile());
  }

  public Path config() {
    return config;
  }

  /** Where today's files are: config.yaml and the services and users files it names. */
  public Map<String, Path> paths() {
    return paths;
  }

  /**
   * @throws ConfigException when a file the chain reads cannot be read as YAML
   * @throws ConfigRollback.Refused with every error when the files it would leave do not validate
   */
  public Plan plan() {
    Map<String, String> before = ConfigFiles.read(paths);
    Map<String, String> after = new LinkedHashMap<>(before);
    List<Step> steps = new ArrayList<>();
    Path original = config.getParent().resolveSibling(ORIGINAL_SERVICES.toString());
    if (before.get(ConfigFiles.SERVICES) == null && Files.isRegularFile(original)) {
      Migrated migrated = OriginalServices.migrate(tree(original));
      after.put(ConfigFiles.SERVICES, YamlText.of(List.of("Migrated by `service-manager migrate` from " + original
          + " (the original app's layout), which is left in place.", "Its comments are not carried over."), migrated.tree()));
      List<String> notes = new ArrayList<>(migrated.notes());
      if (before.get(ConfigFiles.USERS) == null) {
        notes.add("the original app had no users: nobody can log in until " + paths.get(ConfigFiles.USERS) + " names someone");
      }
      steps.add(new Step("services.yaml from the original app's layout: " + original + " copied to " + paths.get(ConfigFiles.SERVICES),
          notes));
    }
    for (FileVersion file : FileVersion.values()) {
      String name = file.file();
      if (after.get(name) != null && after.get(name).equals(before.get(name))) {
        Migrated upgraded = Upgrades.upgrade(file, tree(paths.get(name)));
        if (!upgraded.notes().isEmpty()) {
          after.put(name, YamlText.of(List.of(), upgraded.tree()));
          steps.add(new Step(name + " to version " + file.newest(), upgraded.notes()));
        }
      }
    }
    // Only what the chain changed is "as in the migration"; the rest is named as today's.
    List<String> changed = ConfigFiles.NAMES.stream().filter(name -> !java.util.Objects.equals(before.get(name), after.get(name))).toList();
    ConfigRollback.Plan files = new ConfigRollback(vertx, paths).plan("the migration", after, changed);
    HistoryImport.Report history = history();
    if (history != null && history.imported() > 0) {
      steps.add(new Step("history into the insight database: " + history.imported() + " record(s) from "
          + history.files() + " file(s) of " + app.historyFile() + " not yet in " + app.insight().database(), historyNotes(history)));
    }
    return new Plan(steps, before, after, files, history);
  }

  /** Writes the files (each to a temporary file, then renamed), then imports the history. */
  public void write(Plan plan) {
    try {
      for (String name : plan.files().changed().keySet()) {
        Files.createDirectories(paths.get(name).getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new ConfigRollback(vertx, paths).write(plan.files());
    if (plan.history() != null && plan.history().imported() > 0) {
      InsightStore store = InsightStore.open(vertx, app.insight().database()).await();
      try {
        HistoryImport.run(store, app.historyFile(), notBefore()).await();
      } finally {
        store.close().await();
      }
    }
  }

  /** What the history import would do, read without writing (no database: every record is new). */
  private HistoryImport.Report history() {
    Path database = app.insight().database();
    try {
      HistoryImport.Report report = HistoryImport.preview(app.historyFile(), notBefore());
      if (report.files() == 0) {
        return null; // no history file: the database is not even opened
      }
      if (Files.exists(database)) {
        InsightStore store = InsightStore.open(vertx, database).await();
        try {
          report = HistoryImport.preview(store, app.historyFile(), notBefore()).await();
        } finally {
          store.close().await();
        }
      }
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> historyNotes(HistoryImport.Report report) {
    List<String> notes = new ArrayList<>();
    if (report.duplicates() > 0) {
      notes.add(report.duplicates() + " record(s) already in the database are left as they are");
    }
    if (report.torn() > 0) {
      notes.add(report.torn() + " torn or damaged line(s) will be skipped");
    }
    if (report.expired() > 0) {
      notes.add(report.expired() + " record(s) older than insight.retention_days are left out");
    }
    notes.add("the file stays in place; the manager also imports it at start, so this step is never required");
    return notes;
  }

  /** As the start-up import: what the retention would delete is not brought in. */
  private Instant notBefore() {
    return Instant.now().minus(Duration.ofDays(app.insight().retentionDays()));
  }

  /** The file's top-level mapping; a file that is no YAML mapping is a ConfigException naming it. */
  private JsonObject tree(Path file) {
    return ConfigLoader.loadOptional(vertx, file, Validated::ok).await();
  }
}
