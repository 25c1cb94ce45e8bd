package io.servicemanager.cli;

import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRollback;
import io.servicemanager.confighistory.Version;
import io.servicemanager.confighistory.ConfigRepository;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Puts version REV (or one file of it) back, validated against today's files first; the running
 * manager's watchers apply it like any edit and record it as a new version.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Put version REV back: every file of it, or only FILE. The files it would leave are validated "
        + "together first (exit 2 with every error, nothing written); then each is written to a temporary file and "
        + "renamed over the old one, and the running manager applies it like any edit. config.yaml is read at "
        + "start-up: restart the manager after rolling it back."})
public final class ConfigRollbackCommand extends VersionCommand {
  @Override
  int apply(Vertx vertx, ConfigRepository history, Map<String, Path> today, Version version) {
    List<String> files = file == null ? ConfigFiles.NAMES : List.of(ConfigFiles.require(file));
    ConfigRollback rollback = new ConfigRollback(vertx, today);
    ConfigRollback.Plan plan;
    try {
      plan = rollback.plan(version.rev(), history.files(version), files);
    } catch (ConfigRollback.Refused refused) {
      System.err.println("config rollback: " + version.rev() + " cannot be put back, nothing was written:");
      refused.errors().forEach(System.err::println);
      return RunCommand.INVALID_CONFIG;
    }
    if (plan.changed().isEmpty()) {
      System.out.println("Nothing to do: today's files are already those of " + version.rev() + ".");
      return 0;
    }
    rollback.write(plan);
    System.out.println("Put back " + String.join(", ", plan.changed().keySet()) + " as in " + ConfigLogCommand.line(version));
    System.out.println("A running manager applies " + (plan.changed().containsKey(ConfigFiles.CONFIG)
        ? "the services and users files at once; config.yaml is read at start-up: restart it to apply that."
        : "the change at once, and keeps it as a new version."));
    if (plan.unitsChanged()) {
      PolkitReminder.print(today.get(ConfigFiles.CONFIG));
    }
    return 0;
  }
}
