package io.servicemanager.cli;

import io.servicemanager.Application;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigLoader.LoadedConfig;
import io.servicemanager.fleetca.FleetCa;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.metrics.Metrics;
import io.servicemanager.sandbox.SystemdSandbox;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code demo --nodes N}: a fleet on one machine (DESIGN §4). Each node has a demo systemd of its own;
 * a fleet CA and a certificate per node are made in a temporary state folder; the first node serves
 * the dashboard from this process (with its journal, as the single demo), every other one runs in a
 * JVM of its own ({@link ChildNode}). Ctrl-C (or any exit) leaves the fleet, stops the other nodes,
 * then the demo systemds, and deletes the folder.
 */
final class DemoFleet {
  static final String NODE_PREFIX = "game-";
  /** Every Hazelcast member and event bus of the demo listens here only. */
  static final String CLUSTER_HOST = "127.0.0.1";
  private final String host;
  private final int port;
  private final int nodes;
  private final int clusterPort;
  /** Undone last-in, first-out, once: by the shutdown hook, or at once after a failed start. */
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
  private boolean cleaned;

  DemoFleet(String host, int port, int nodes, int clusterPort) {
    this.host = host;
    this.port = port;
    this.nodes = nodes;
    this.clusterPort = clusterPort;
  }

  Integer run() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "demo-fleet-shutdown"));
    try {
      Path state = Files.createTempDirectory("sm-demo-fleet-");
      onClose(() -> deleteTree(state));
      List<String> names = Stream.iterate(1, i -> i + 1).limit(nodes).map(i -> NODE_PREFIX + i).toList();
      List<Integer> ports = FreePorts.from(CLUSTER_HOST, clusterPort, nodes);
      Path certs = state.resolve("fleet");
      FleetCa ca = FleetCa.openOrCreate(certs);
      List<SystemdSandbox> sandboxes = new ArrayList<>();
      List<Path> configs = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        ca.issue(names.get(i), certs);
        SystemdSandbox sandbox = i == 0 ? SystemdSandbox.startDemo() : SystemdSandbox.startDemoPeer();
        onClose(sandbox::close);
        sandboxes.add(sandbox);
        configs.add(DemoNodeFiles.write(state.resolve(names.get(i)), names.get(i), i == 0 ? port : 0, host, sandbox,
            certs, ports, i));
      }
      // The other nodes start first: they join while this JVM sets up the dashboard.
      List<ChildNode> children = new ArrayList<>();
      for (int i = 1; i < nodes; i++) {
        ChildNode child = ChildNode.start(names.get(i), configs.get(i), configs.get(i).resolveSibling("node.log"),
            sandboxes.get(i).managerPid());
        onClose(child);
        children.add(child);
      }
      Vertx vertx = Metrics.vertx();
      onClose(() -> Shutdown.close(vertx));
      LoadedConfig loaded = ConfigLoader.load(vertx, configs.get(0)).await();
      String password = DemoUser.create(loaded.app().auth().usersFile());
      Application app = Application.deploy(vertx, loaded.app(), loaded.services(),
          new JournalCommand(sandboxes.get(0).journalCommandPrefix())).await();
      onClose(FleetMember.join(vertx, loaded.app().cluster()));
      printBanner(app.httpPort(), password, names, sandboxes, children, ports, certs);
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      cleanUp();
      return RunCommand.INVALID_CONFIG;
    } catch (Exception e) {
      // a sandbox, a certificate, a port, a node that cannot start (await() rethrows checked failures as they are)
      System.err.println("demo: cannot start the fleet: " + e.getMessage());
      cleanUp();
      return 1;
    }
  }

  /** Registered as it is made, so that Ctrl-C during start-up undoes what exists so far. */
  private synchronized void onClose(AutoCloseable resource) {
    if (cleaned) {
      closeQuietly(resource);
    } else {
      cleanup.push(resource);
    }
  }

  private synchronized void cleanUp() {
    cleaned = true;
    while (!cleanup.isEmpty()) {
      closeQuietly(cleanup.pop());
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      System.err.println("demo: while stopping: " + e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void printBanner(int httpPort, String password, List<String> names, List<SystemdSandbox> sandboxes,
      List<ChildNode> children, List<Integer> ports, Path certs) {
    StringBuilder text = new StringBuilder(String.format("%nService Manager demo: a fleet of %d nodes on this machine%n"
        + "  dashboard:  http://%s:%d/   (served by %s; every node at /api/nodes)%n"
        + "  log in as:  %s / %s   (an operator made for this demo only, on every node's services)%n",
        nodes, host, httpPort, names.get(0), DemoUser.NAME, password));
    text.append(String.format("  nodes:      %s  pzserver, sample-service, crashy, backup   (this process)%n", names.get(0)));
    for (ChildNode child : children) {
      text.append(String.format("              %s  pzserver, chat-bot   (pid %d, log %s)%n", child.node(), child.pid(), child.log()));
    }
    for (int i = 0; i < nodes; i++) {
      SystemdSandbox sandbox = sandboxes.get(i);
      text.append(String.format("  %s %s: DBUS_SESSION_BUS_ADDRESS=%s XDG_RUNTIME_DIR=%s systemctl --user stop pzserver%n",
          i == 0 ? "try:       " : "           ", names.get(i), sandbox.busAddress(),
          sandbox.clientEnvironment().getOrDefault("XDG_RUNTIME_DIR", "")));
    }
    text.append(String.format("              curl -u %s:%s -X POST http://%s:%d/api/nodes/%s/services/pzserver/restart%n",
        DemoUser.NAME, password, host, httpPort, names.get(nodes - 1)));
    text.append(String.format("  fleet:      Hazelcast on %s ports %s; the event bus over mutual TLS, certificates in %s%n"
        + "  The other nodes show up on the dashboard as they join (up to a minute on a busy machine).%n"
        + "  Ctrl-C stops every node, every demo systemd and every process they started.%n%n",
        CLUSTER_HOST, ports, certs));
    System.out.print(text);
  }
}
