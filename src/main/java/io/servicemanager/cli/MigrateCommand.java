package io.servicemanager.cli;

import io.servicemanager.config.ConfigException;
import io.servicemanager.confighistory.ChangeSummary;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRollback;
import io.servicemanager.confighistory.UnifiedDiff;
import io.servicemanager.deploy.PolkitReminder;
import io.servicemanager.insight.InsightDatabaseException;
import io.servicemanager.migrate.Migrator;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Brings the configuration and an old history.jsonl up to what this release reads (see {@link Migrator}). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Run the migrations: the original app's config/services.yaml into today's layout, each file to its newest"
        + " version, a history.jsonl into the insight database.",
        "--check (the default) prints what would change and exits 0 when nothing is pending, 1 when something is;"
            + " --write applies it (each file to a temporary file, then renamed, so a running manager applies it) and exits 0.",
        "Files that would not validate: exit 2 with every error, nothing written."})
public final class MigrateCommand implements Callable<Integer> {
  /** --check: a migration is pending. */
  public static final int PENDING = 1;

  static final class Mode {
    @Option(names = "--check", description = "Print what would change; change nothing (the default).")
    boolean check;

    @Option(names = "--write", description = "Apply the migrations.")
    boolean write;
  }

  @ArgGroup(exclusive = true)
  Mode mode;

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    boolean write = mode != null && mode.write;
    Vertx vertx = Vertx.vertx();
    Migrator migrator = null;
    try {
      migrator = new Migrator(vertx, config.file);
      Migrator.Plan plan = migrator.plan();
      if (!plan.pending()) {
        System.out.println("migrate: nothing to do; the configuration is what this release reads"
            + (plan.history() == null ? "." : ", and the history file holds nothing new for the database."));
        return 0;
      }
      System.out.println("migrate: " + (write ? "applying " : "pending, ") + plan.steps().size() + " step(s):");
      for (Migrator.Step step : plan.steps()) {
        System.out.println("- " + step.title());
        step.notes().forEach(note -> System.out.println("    " + note));
      }
      if (!plan.files().changed().isEmpty()) {
        System.out.println("today's files → migrated: " + ChangeSummary.between(plan.before(), plan.after()));
        System.out.print(UnifiedDiff.of(plan.before(), "today's files", plan.after(), "migrated"));
      }
      if (!write) {
        System.out.println("Run `service-manager migrate --write" + (config.file.equals(java.nio.file.Path.of(ConfigOption.DEFAULT)) ? "" : " --config "
            + config.file) + "` to apply it.");
        return PENDING;
      }
      migrator.write(plan);
      System.out.println("Done." + (plan.files().changed().isEmpty() ? ""
          : plan.files().changed().containsKey(ConfigFiles.CONFIG) ? " config.yaml is read at start-up: restart the manager."
          : " A running manager applies it at once."));
      if (plan.files().unitsChanged()) {
        System.out.print(PolkitReminder.text(migrator.config()));
      }
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } catch (ConfigRollback.Refused refused) {
      System.err.println("migrate: the files would not validate, nothing was written (" + migrator.paths().entrySet().stream()
          .map(e -> e.getKey() + " is " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")) + "):");
      refused.errors().forEach(System.err::println);
      return RunCommand.INVALID_CONFIG;
    } catch (Exception e) {
      // await() rethrows a checked failure as it is: an insight database that cannot be used.
      if (e instanceof InsightDatabaseException) {
        System.err.println("migrate: " + e.getMessage());
        return RunCommand.INVALID_CONFIG;
      }
      throw e;
    } finally {
      vertx.close();
    }
  }
}
