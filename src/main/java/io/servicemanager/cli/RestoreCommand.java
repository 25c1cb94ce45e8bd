package io.servicemanager.cli;

import io.servicemanager.backup.BackupException;
import io.servicemanager.backup.BackupReader;
import io.servicemanager.backup.BackupWriter;
import io.servicemanager.backup.JarVersion;
import io.servicemanager.backup.Restore;
import io.servicemanager.deploy.PolkitReminder;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Puts a backup back: everything checked first, what it replaces backed up, then each part written. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Put a backup made by `backup` back. Everything in it is checked first (checksums, the three files "
        + "together, the database, the history): on any problem exit 2 with every error, nothing replaced. Then what "
        + "it replaces is backed up, and each part is written by temporary file and rename; a running manager applies "
        + "the services and users files like any edit. The restored config.yaml says where the rest goes."})
public final class RestoreCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "A backup (.tar.gz) written by `service-manager backup`.")
  Path archive;

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    Path file = config.file.toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try {
      Restore restore = new Restore(vertx, new BackupReader(BackupReader.Limits.DEFAULT),
          new BackupWriter(JarVersion.current(), Clock.systemUTC()));
      Restore.Checked checked;
      try {
        checked = restore.check(archive, file);
      } catch (BackupException e) {
        System.err.println("restore: " + archive + " cannot be restored, nothing was replaced:");
        e.errors().forEach(System.err::println);
        return RunCommand.INVALID_CONFIG;
      }
      try (checked) {
        Restore.Result result = restore.apply(checked);
        if (result.safetyBackup() != null) {
          System.out.println("What it replaces is kept in " + result.safetyBackup());
        }
        System.out.println("Restored " + (result.replaced().isEmpty() ? "nothing: every part was already as in the backup"
            : String.join(", ", result.replaced())) + " from " + archive + " (made "
            + checked.unpacked().manifest().created() + " by " + checked.unpacked().manifest().release() + ")");
        result.warnings().forEach(w -> System.err.println("restore: warning: " + w));
        System.out.println("A running manager applies the services and users files at once; restart it for config.yaml "
            + "and the restored history and database to be read afresh.");
        if (result.unitsChanged()) {
          System.out.print(PolkitReminder.text(file));
        }
        return 0;
      } catch (BackupException e) {
        System.err.println("restore: stopped: " + e.getMessage());
        return 1;
      }
    } finally {
      vertx.close();
    }
  }
}
