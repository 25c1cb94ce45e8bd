package io.servicemanager.cli;

import io.servicemanager.auth.UsersFile;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks config.yaml, its services file and its users file; exit 0, or 2 with every error listed. */
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
      var names = loaded.services().all().stream().map(ServiceDefinition::name).collect(java.util.stream.Collectors.toSet());
      var users = UsersFile.load(vertx, loaded.app().auth().usersFile(), names).await();
      System.out.printf("%s: valid, %d services (%s), %d users and %d tokens (%s)%n", config.file,
          loaded.services().size(), loaded.app().servicesFile(), users.userCount(), users.tokenCount(),
          loaded.app().auth().usersFile());
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return RunCommand.INVALID_CONFIG;
    } finally {
      vertx.close();
    }
  }
}
