package io.servicemanager;

import io.servicemanager.cli.BackupCommand;
import io.servicemanager.cli.ConfigCommand;
import io.servicemanager.cli.DemoCommand;
import io.servicemanager.cli.DiscoverCommand;
import io.servicemanager.cli.FleetCaCommand;
import io.servicemanager.cli.HashPasswordCommand;
import io.servicemanager.cli.HistoryCommand;
import io.servicemanager.cli.MigrateCommand;
import io.servicemanager.cli.NewTokenCommand;
import io.servicemanager.cli.PolkitRulesCommand;
import io.servicemanager.cli.RestoreCommand;
import io.servicemanager.cli.RunCommand;
import io.servicemanager.cli.ValidateCommand;
import io.servicemanager.cli.WatchCommand;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;

/**
 * Entry point: {@code run} (the default), {@code validate}, {@code discover}, {@code demo} (DESIGN §7),
 * {@code polkit-rules} (deployment), {@code watch} (the /ws feed as JSON lines), {@code hash-password}
 * and {@code new-token} (users.yaml), {@code config} (the configuration history), {@code history export}
 * (the recorded operations as JSON Lines), {@code migrate} (older files and layouts brought up to date),
 * {@code backup} and {@code restore}, {@code fleet-ca} (certificates for a fleet's event bus).
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
        .addSubcommand(new MigrateCommand())
        .addSubcommand(new BackupCommand())
        .addSubcommand(new RestoreCommand())
        .addSubcommand(new FleetCaCommand());
  }

  /** Commands and options that run once: the JVM exits when they return, whatever threads they left. */
  private static final Set<String> ONE_SHOT = Set.of("validate", "discover", "polkit-rules", "watch", "hash-password",
      "new-token", "config", "history", "migrate", "backup", "restore", "fleet-ca", "-h", "--help", "-V", "--version", "help");

  private static boolean isOneShot(String[] args) {
    return Arrays.stream(args).anyMatch(ONE_SHOT::contains);
  }
}
