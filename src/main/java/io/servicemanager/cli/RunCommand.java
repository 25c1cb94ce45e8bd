package io.servicemanager.cli;

import io.servicemanager.Application;
import io.servicemanager.NetTransport;
import io.servicemanager.backup.BackupWriter;
import io.servicemanager.backup.DeploymentBackup;
import io.servicemanager.backup.Installation;
import io.servicemanager.backup.JarVersion;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.insight.InsightDatabaseException;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.metrics.Metrics;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the manager against the bus named in config.yaml (default: the system bus). */
@Command(name = "service-manager", mixinStandardHelpOptions = true, version = "service-manager 0.1.0",
    description = "Limited, live control of chosen systemd services over the web.")
public final class RunCommand implements Callable<Integer> {
  /** Exit status for an invalid configuration (DESIGN §2) or an insight database that cannot be used. */
  public static final int INVALID_CONFIG = 2;

  @Mixin
  ConfigOption config;

  /**
   * Hidden: for the demo's and the tests' fleet nodes, each in a JVM of its own beside a sandboxed
   * systemd whose journal lives in that systemd's mount namespace. A real node reads its host's journal.
   */
  @Option(names = "--journal-namespace-of", paramLabel = "PID", hidden = true)
  Long journalNamespacePid;

  @Override
  public Integer call() {
    Vertx vertx = Metrics.vertx();
    System.err.println("service-manager: " + NetTransport.configured().describe(vertx));
    try {
      var loaded = ConfigLoader.load(vertx, config.file).await();
      // Before anything opens (and perhaps migrates) the database.
      new DeploymentBackup(new BackupWriter(JarVersion.current(), Clock.systemUTC()), JarVersion.current())
          .beforeStart(Installation.of(config.file, loaded.app()));
      Application.deploy(vertx, loaded.app(), loaded.services(), journalNamespacePid == null ? JournalCommand.HOST
          : JournalCommand.inMountNamespaceOf(journalNamespacePid)).await();
      // Only with a cluster key is the fleet code (and Hazelcast with it) ever loaded.
      AutoCloseable fleet = loaded.app().cluster() == null ? () -> { } : FleetMember.join(vertx, loaded.app().cluster());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          fleet.close();
        } catch (Exception e) {
          System.err.println("service-manager: leaving the fleet: " + e.getMessage());
        }
        Shutdown.close(vertx);
      }));
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      vertx.close();
      return INVALID_CONFIG;
    } catch (Exception e) {
      // await() rethrows a checked failure as it is: an insight database that cannot be used.
      if (e instanceof InsightDatabaseException) {
        System.err.println("service-manager: " + e.getMessage());
        vertx.close();
        return INVALID_CONFIG;
      }
      System.err.println("service-manager: cannot start: " + e.getMessage());
      vertx.close();
      return 1;
    }
  }
}
