package io.servicemanager.cli;

import io.servicemanager.Application;
import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.sandbox.SandboxException;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.metrics.Metrics;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The dashboard against a private demo systemd (DESIGN §7, §8): a game-server stand-in, a real small
 * HTTP server, a unit that fails and one whose state is hidden. With {@code --nodes N} (2 or more), a
 * fleet of N such nodes on this machine instead ({@link DemoFleet}). Ctrl-C stops all of it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the dashboard on a private demo systemd (needs root), or with --nodes N a fleet of N nodes,"
        + " each on a demo systemd of its own; Ctrl-C stops everything.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  /** Each node is a JVM and a systemd on this one machine. */
  static final int MAX_NODES = 10;

  @Spec
  CommandSpec spec;

  private int nodes = 1;
  private int clusterPort = DEFAULT_CLUSTER_PORT;
  static final int DEFAULT_CLUSTER_PORT = 5701;

  @Option(names = "--nodes", defaultValue = "1", paramLabel = "N", description = "1 (default): one dashboard on one"
      + " demo systemd. 2 to " + MAX_NODES + ": a fleet on this machine, each node on a demo systemd of its own, the"
      + " first one serving the dashboard.")
  void nodes(int value) {
    if (value < 1 || value > MAX_NODES) {
      throw new ParameterException(spec.commandLine(),
          "--nodes must be a whole number from 1 to " + MAX_NODES + " (got " + value + ")");
    }
    nodes = value;
  }

  @Option(names = "--cluster-port", defaultValue = "" + DEFAULT_CLUSTER_PORT, paramLabel = "PORT", description = "With"
      + " --nodes 2 or more: the nodes' Hazelcast members take the first free ports from PORT on 127.0.0.1 (0: any"
      + " free ports; default: ${DEFAULT-VALUE}).")
  void clusterPort(int value) {
    if (value < 0 || value > 65535) {
      throw new ParameterException(spec.commandLine(), "--cluster-port must be 0 to 65535 (got " + value + ")");
    }
    clusterPort = value;
  }

  @Override
  public Integer call() {
    if (nodes > 1) {
      return new DemoFleet(host, port, nodes, clusterPort).run();
    }
    SystemdSandbox sandbox;
    try {
      sandbox = SystemdSandbox.startDemo();
    } catch (SandboxException e) {
      System.err.println("demo: cannot start the demo systemd: " + e.getMessage());
      return 1;
    }
    Vertx vertx = Metrics.vertx();
    try {
      var services = ConfigLoader.loadServices(vertx, sandbox.demoServicesFile()).await();
      AppConfig config = new AppConfig(host, port, sandbox.busAddress(), sandbox.demoServicesFile(),
          sandbox.dir().resolve("history.jsonl"));
      String password = DemoUser.create(config.auth().usersFile());
      Application app = Application.deploy(vertx, config, services,
          new JournalCommand(sandbox.journalCommandPrefix())).await();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Shutdown.close(vertx);
        sandbox.close();
      }, "demo-shutdown"));
      printBanner(app.httpPort(), sandbox, password, config.auth().usersFile());
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      vertx.close().await();
      sandbox.close();
      return RunCommand.INVALID_CONFIG;
    } catch (RuntimeException e) {
      System.err.println("demo: cannot start: " + e.getMessage());
      vertx.close().await();
      sandbox.close();
      return 1;
    }
  }

  private void printBanner(int actualPort, SystemdSandbox sandbox, String password, java.nio.file.Path usersFile) {
    String env = "DBUS_SESSION_BUS_ADDRESS=" + sandbox.busAddress()
        + " XDG_RUNTIME_DIR=" + sandbox.clientEnvironment().getOrDefault("XDG_RUNTIME_DIR", "");
    System.out.printf("%nService Manager demo%n"
        + "  dashboard:  http://%s:%d/%n"
        + "  log in as:  %s / %s   (an operator made for this demo only; %s)%n"
        + "  try:        %s systemctl --user stop pzserver%n"
        + "              %s systemctl --user start crashy%n"
        + "  Ctrl-C stops the dashboard, the demo systemd and every process it started.%n%n",
        host, actualPort, DemoUser.NAME, password, usersFile, env, env);
  }
}
