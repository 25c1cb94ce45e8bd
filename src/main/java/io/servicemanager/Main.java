package io.servicemanager;

import io.servicemanager.cli.ConfigCommand;
import io.servicemanager.cli.DemoCommand;
import io.servicemanager.cli.DiscoverCommand;
import io.servicemanager.cli.FleetCaCommand;
import io.servicemanager.cli.HashPasswordCommand;
import io.servicemanager.cli.HistoryCommand;
import io.servicemanager.cli.NewTokenCommand;
import io.servicemanager.cli.PolkitRulesCommand;
import io.servicemanager.cli.RunCommand;
import io.servicemanager.cli.ValidateCommand;
import io.servicemanager.cli.WatchCommand;
import picocli.CommandLine;

/**
 * Entry point: {@code run} (the default), {@code validate}, {@code discover}, {@code demo} (DESIGN §7),
 * {@code polkit-rules} (deployment), {@code watch} (the /ws feed as JSON lines), {@code hash-password}
 * and {@code new-token} (users.yaml), {@code config} (the configuration history), {@code history export}
 * (the recorded operations as JSON Lines), {@code fleet-ca} (certificates for a fleet's event bus).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status = commandLine().execute(args);
    // The run and demo commands keep the JVM alive through Vert.x; they return only on failure.
    // watch returns only when it is done (Ctrl-C ends it through its shutdown hook instead).
    if (status != 0 || isOneShot(args)) {
      System.exit(status);
    }
  }

  public static CommandLine commandLine() {
    return new CommandLine(new RunCommand())
        .addSubcommand(new ValidateCommand())
        .addSubcommand(new DiscoverCommand())
        .addSubcommand(new DemoCommand())
        .addSubcommand(new PolkitRulesCommand())
        .addSubcommand(new WatchCommand())
        .addSubcommand(new HashPasswordCommand())
        .addSubcommand(new NewTokenCommand())
        .addSubcommand(new ConfigCommand())
        .addSubcommand(new HistoryCommand())
        .addSubcommand(new FleetCaCommand());
  }

  private static boolean isOneShot(String[] args) {
    for (String arg : args) {
      if (arg.equals("validate") || arg.equals("discover") || arg.equals("polkit-rules") || arg.equals("watch")
          || arg.equals("hash-password") || arg.equals("new-token") || arg.equals("config") || arg.equals("history") || arg.equals("fleet-ca") || arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
          || arg.equals("--version") || arg.equals("help")) {
        return true;
      }
    }
    return false;
  }
}
