package io.servicemanager.cli;

import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks config.yaml and its services file; exit 0, or 2 with every error listed. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check the configuration and exit: 0 when valid, 2 with every error listed.")
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    Vertx vertx = Vertx.vertx();
    try {
      var loaded = ConfigLoader.load(vertx, config.file).await();
      System.out.printf("%s: valid, %d services (%s)%n", config.file, loaded.services().size(),
          loaded.app().servicesFile());
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } finally {
      vertx.close();
    }
  }
}
