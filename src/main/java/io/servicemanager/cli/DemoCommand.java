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
import picocli.CommandLine.Option;

/**
 * The dashboard against a private demo systemd (DESIGN §7, §8): a game-server stand-in, a real small
 * HTTP server, a unit that fails and one whose state is hidden. Ctrl-C stops all of it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the dashboard on a private demo systemd (needs root); Ctrl-C stops everything.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
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
