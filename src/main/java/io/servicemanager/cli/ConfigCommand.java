package io.servicemanager.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The configuration history: {@code config log|show|diff|rollback}. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "The history of accepted configurations (config.yaml, services.yaml, users.yaml).",
    subcommands = {ConfigLogCommand.class, ConfigShowCommand.class, ConfigDiffCommand.class, ConfigRollbackCommand.class})
public final class ConfigCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a subcommand: log, show, diff or rollback");
  }
}
