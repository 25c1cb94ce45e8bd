package io.servicemanager.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The operation history in the insight database: {@code history export}. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "The recorded operations and transitions (the insight database).",
    subcommands = {HistoryExportCommand.class})
public final class HistoryCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "give a subcommand: export");
  }
}
