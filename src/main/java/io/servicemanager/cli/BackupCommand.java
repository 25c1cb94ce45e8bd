package io.servicemanager.cli;

import io.servicemanager.backup.BackupException;
import io.servicemanager.backup.BackupWriter;
import io.servicemanager.backup.Installation;
import io.servicemanager.backup.JarVersion;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One tar.gz of the installation, safe to take while the manager runs. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Write one tar.gz with config.yaml, the services and users files, a consistent copy of the insight "
        + "database and the configuration history (never the session key). Safe while the manager runs. Only "
        + "config.yaml has to be valid."})
public final class BackupCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--output", paramLabel = "FILE.tar.gz",
      description = "Where to write it (never over an existing file); default: backups/service-manager-TIME.tar.gz in the state directory.")
  Path output;

  @Override
  public Integer call() {
    Path file = config.file.toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig app = ConfigLoader.loadOptional(vertx, file, json -> ConfigValidator.validateApp(json, file.getParent())).await();
      Installation installation = Installation.of(file, app);
      BackupWriter writer = new BackupWriter(JarVersion.current(), Clock.systemUTC());
      BackupWriter.Written written = writer.write(installation,
          output != null ? output : writer.defaultOutput(installation, "service-manager"));
      System.out.println("Backed up " + written.manifest().contents() + " to " + written.file());
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } catch (BackupException e) {
      System.err.println("backup: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }
}
