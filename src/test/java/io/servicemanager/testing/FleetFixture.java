package io.servicemanager.testing;

import io.servicemanager.cluster.NodeProcess;
import io.servicemanager.fleetca.FleetCa;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.sandbox.SystemdSandboxBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of Service Manager nodes in JVMs of their own (the packaged jar) on 127.0.0.1, each on a
 * systemd sandbox of its own, joined over Hazelcast with certificates of one fleet CA. The first
 * node named serves the dashboard (HTTP, and the TCP bridge when asked); the others only their units.
 *
 * <pre>
 * fleet = FleetFixture.in(dir)
 *     .node("dash", FleetFixture.service("x", "X", "on every node", "all"))
 *     .node("game-b", FleetFixture.service("x", "X", "on every node", "restart"))
 *     .start();
 * </pre>
 *
 * {@link Builder#start} returns once every node joined and the dashboard sees each reachable;
 * {@link #close} kills every node JVM it started and closes the sandboxes.
 */
public final class FleetFixture implements AutoCloseable {
  /** A unit that runs until stopped. */
  public static final String SLEEPER = "[Service]\nExecStart=/bin/sleep 1000\n";
  /** Generous: several JVMs start at once on a shared, busy 2-core machine. */
  public static final Duration START = Duration.ofSeconds(300);

  /**
   * One service of a node: its services.yaml entry and its unit, started before the node starts
   * unless it was given a unit of its own ({@link #withUnit}).
   */
  public record Service(String name, String displayName, String description, String permissions, String unit, boolean started,
      boolean stateShown, boolean logsAllowed) {
    /** The same service on a unit of this content, left stopped. */
    public Service withUnit(String content) {
      return new Service(name, displayName, description, permissions, content, false, stateShown, logsAllowed);
    }

    /** The same service on a unit of this content, started before the node starts. */
    public Service withRunningUnit(String content) {
      return new Service(name, displayName, description, permissions, content, true, stateShown, logsAllowed);
    }

    /** The same service with {@code status_check_allowed: false}. */
    public Service withStateHidden() {
      return new Service(name, displayName, description, permissions, unit, started, false, logsAllowed);
    }

    /** The same service with {@code logs_allowed: true}. */
    public Service withLogs() {
      return new Service(name, displayName, description, permissions, unit, started, stateShown, true);
    }

    String yaml() {
      return "  " + name + ":\n    display_name: " + displayName + "\n    description: " + description
          + "\n    permissions_required: " + permissions + "\n    status_check_allowed: " + stateShown + "\n"
          + (logsAllowed ? "    logs_allowed: true\n" : "");
    }
  }

  /** A visible service on a running sleeper unit. */
  public static Service service(String name, String displayName, String description, String permissions) {
    return new Service(name, displayName, description, permissions, SLEEPER, true, true, false);
  }

  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  public static final class Builder {
    private final Path dir;
    private final Map<String, List<Service>> nodes = new LinkedHashMap<>();
    private String[] users = {};
    private boolean tcpBridge;
    private boolean journal;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** A node and its services; the first node is the dashboard. */
    public Builder node(String name, Service... services) {
      nodes.put(name, List.of(services));
      return this;
    }

    /** More users.yaml lines after the test operator, on every node ({@link TestConfigs#writeUsers}). */
    public Builder users(String... lines) {
      users = lines;
      return this;
    }

    /** The dashboard also serves the TCP bridge ({@link #tcpPort}). */
    public Builder tcpBridge() {
      tcpBridge = true;
      return this;
    }

    /** Each sandbox has a private journald, which its node reads (DESIGN §6). */
    public Builder journal() {
      journal = true;
      return this;
    }

    public FleetFixture start() throws Exception {
      FleetFixture fleet = new FleetFixture(this);
      try {
        fleet.startAll();
      } catch (Exception | AssertionError e) {
        fleet.close();
        throw e;
      }
      return fleet;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** The tests' own Vert.x, for WebSocket and bridge clients of the dashboard. */
  private final Vertx vertx = Vertx.vertx();
  private final Path dir;
  private final Map<String, List<Service>> services;
  private final String dashboard;
  private final String[] users;
  private final int httpPort;
  private final int tcpPort;
  private final boolean journal;
  private final Map<String, Integer> hazelcastPorts = new LinkedHashMap<>();
  private final Map<String, SystemdSandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, NodeProcess> processes = new LinkedHashMap<>();
  /** Node JVMs replaced by {@link #restart}, killed at the end too. */
  private final List<NodeProcess> replaced = new ArrayList<>();

  private FleetFixture(Builder builder) throws IOException {
    dir = builder.dir;
    services = new LinkedHashMap<>(builder.nodes);
    dashboard = services.keySet().iterator().next();
    users = builder.users;
    httpPort = freePort();
    tcpPort = builder.tcpBridge ? freePort() : 0;
    journal = builder.journal;
  }

  /** A port free right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void startAll() throws Exception {
    FleetCa ca = FleetCa.openOrCreate(caDir());
    for (var node : services.entrySet()) {
      ca.issue(node.getKey(), caDir());
      hazelcastPorts.put(node.getKey(), freePort());
      SystemdSandboxBuilder builder = journal ? SystemdSandbox.builder().journal() : SystemdSandbox.builder();
      node.getValue().forEach(s -> builder.unit(s.name() + ".service", s.unit()));
      SystemdSandbox sandbox = builder.closeOnShutdown().start();
      sandboxes.put(node.getKey(), sandbox);
      for (Service s : node.getValue()) {
        if (s.started()) {
          sandbox.systemctlOk("start", s.name() + ".service");
        }
      }
    }
    for (String node : services.keySet()) {
      writeNode(node);
    }
    for (String node : services.keySet()) {
      restart(node);
    }
    for (String node : services.keySet()) {
      processes.get(node).await(l -> l.contains("node " + node + " joined the fleet"), node + " joining", START);
    }
    for (String node : services.keySet()) {
      processes.get(dashboard).await(l -> l.contains("fleet: node " + node + " reachable"), dashboard + " seeing " + node, START);
    }
  }

  private void writeNode(String node) throws IOException {
    Path home = Files.createDirectories(dir.resolve(node));
    StringBuilder yaml = new StringBuilder("services:\n");
    services.get(node).forEach(s -> yaml.append(s.yaml()));
    Files.writeString(home.resolve("services.yaml"), yaml);
    TestConfigs.writeUsers(home.resolve("users.yaml"), users);
    StringBuilder members = new StringBuilder();
    hazelcastPorts.forEach((n, port) -> members.append("\n    - 127.0.0.1:").append(port));
    boolean serves = node.equals(dashboard);
    Path ca = caDir();
    Files.writeString(home.resolve("config.yaml"), "http:\n  port: " + (serves ? httpPort : 0) + "\n"
        + (serves && tcpPort != 0 ? "bridge:\n  tcp_port: " + tcpPort + "\n  tcp_host: 127.0.0.1\n" : "")
        + "systemd:\n  bus: \"" + sandboxes.get(node).busAddress() + "\"\n"
        + "history_file: data/history.jsonl\ninsight:\n  database: data/servicemanager.db\n"
        + "config_history:\n  dir: data/config-history\nauth:\n  secret_file: data/secret.key\n"
        + "cluster:\n  node: " + node + "\n  host: 127.0.0.1\n  port: " + hazelcastPorts.get(node) + "\n  members:" + members
        + "\n  dashboard: " + serves + "\n  eventbus:\n    host: 127.0.0.1\n    port: 0\n    tls:\n"
        + "      cert: " + ca.resolve(node + ".pem") + "\n      key: " + ca.resolve(node + ".key") + "\n      ca: " + ca.resolve("ca.pem") + "\n");
  }

  /** Starts the node's JVM (again, after a kill): its configuration and data stay; the old process is killed at the end. */
  public void restart(String node) throws IOException {
    Path config = dir.resolve(node).resolve("config.yaml");
    Path log = dir.resolve(node + "-" + System.nanoTime() + ".log");
    NodeProcess old = processes.put(node, journal
        ? NodeProcess.startJarWith(log, "--config", config.toString(), "--journal-namespace-of", Long.toString(sandboxes.get(node).managerPid()))
        : NodeProcess.startJar(config, log));
    if (old != null) {
      replaced.add(old);
    }
  }

  public String dashboard() {
    return dashboard;
  }

  public List<String> nodes() {
    return List.copyOf(services.keySet());
  }

  public SystemdSandbox sandbox(String node) {
    return sandboxes.get(node);
  }

  public NodeProcess process(String node) {
    return processes.get(node);
  }

  /** The dashboard's HTTP port. */
  public int httpPort() {
    return httpPort;
  }

  /** GET of the dashboard as {@code user} (with the test password), answered within a minute. */
  public HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .header("Authorization", TestConfigs.basic(user, TestConfigs.PASSWORD)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A /ws client of the dashboard, signed in as {@code user} (with the test password). */
  public WsClient ws(String user) {
    return WsClient.connect(vertx, httpPort, new WebSocketConnectOptions()
        .addHeader("Authorization", TestConfigs.basic(user, TestConfigs.PASSWORD)));
  }

  /** The tests' Vert.x, closed with the fleet (for bridge clients). */
  public Vertx vertx() {
    return vertx;
  }

  /** The dashboard's TCP bridge port ({@link Builder#tcpBridge}). */
  public int tcpPort() {
    return tcpPort;
  }

  /** Every node's Hazelcast member address, host:port. */
  public List<String> members() {
    return hazelcastPorts.values().stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** The fleet CA's folder: ca.pem and each node's NODE.pem and NODE.key. */
  public Path caDir() {
    return dir.resolve("fleet");
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess p : processes.values()) {
      p.close();
    }
    for (NodeProcess p : replaced) {
      p.close();
    }
    sandboxes.values().forEach(SystemdSandbox::close);
    vertx.close().await(60, TimeUnit.SECONDS);
  }
}
