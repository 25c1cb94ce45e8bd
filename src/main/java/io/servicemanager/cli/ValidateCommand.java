package io.servicemanager.cli;

import io.servicemanager.auth.UsersFile;
import io.servicemanager.config.ServiceDefinition;
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
    return config.load((vertx, loaded) -> {
      var names = loaded.services().all().stream().map(ServiceDefinition::name).collect(java.util.stream.Collectors.toSet());
      var users = UsersFile.load(vertx, loaded.app().auth().usersFile(), names).await();
      System.out.printf("%s: valid, %d services (%s), %d users and %d tokens (%s)%n", config.file,
          loaded.services().size(), loaded.app().servicesFile(), users.userCount(), users.tokenCount(),
          loaded.app().auth().usersFile());
      return 0;
    });
  }
}
