package io.servicemanager.cli;

import io.servicemanager.deploy.PolkitRules;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prints the polkit rule that lets the manager's account act on the configured units only. */
@Command(name = "polkit-rules", mixinStandardHelpOptions = true,
    description = "Print a polkit rule (for /etc/polkit-1/rules.d/) letting account NAME start/stop/restart "
        + "exactly the configured units, as their permission levels allow.")
public final class PolkitRulesCommand implements Callable<Integer> {
  @Option(names = "--user", paramLabel = "NAME", required = true,
      description = "The account the manager runs as, e.g. service-manager.")
  String user;

  @Mixin
  ConfigOption config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try {
      PolkitRules.requireAccount(user);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return config.load((vertx, loaded) -> {
      System.out.print(PolkitRules.render(user, loaded.services(), loaded.app().servicesFile().toString()));
      return 0;
    });
  }
}
