package io.servicemanager.bench;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Service Manager of the fleet benchmark: a systemd sandbox of its own with {@code bench@push}
 * (inactive, the unit the latency rounds toggle) and {@code units} running {@code bench@N}, and the
 * packaged jar run as deployed ({@code java OPTIONS -jar JAR --config FILE}) in a folder of its own.
 * A null {@code cluster} block makes a standalone server.
 */
final class FleetNode implements AutoCloseable {
  static final String PUSH = "bench@push";
  final String name;
  final SystemdSandbox sandbox;
  final Path dir;
  final int httpPort;
  private Process process;

  private FleetNode(String name, SystemdSandbox sandbox, Path dir, int httpPort) {
    this.name = name;
    this.sandbox = sandbox;
    this.dir = dir;
    this.httpPort = httpPort;
  }

  /** The sandbox and the files; {@code clusterYaml} is the config's {@code cluster:} block, or null. */
  static FleetNode prepare(String name, Path dir, int units, int httpPort, String clusterYaml) throws IOException {
    SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/bench@.service").closeOnShutdown().start();
    FleetNode node = new FleetNode(name, sandbox, dir, httpPort);
    try {
      Files.createDirectories(dir.resolve("data"));
      StringBuilder services = new StringBuilder("services:\n");
      List<String> running = new ArrayList<>(List.of("start"));
      for (int i = 0; i <= units; i++) {
        String service = i == 0 ? PUSH : "bench@" + i;
        if (i > 0) {
          running.add(service + ".service");
        }
        services.append("  \"").append(service).append("\":\n    display_name: \"").append(service)
            .append("\"\n    description: fleet bench\n    permissions_required: all\n    status_check_allowed: true\n");
      }
      Files.writeString(dir.resolve("services.yaml"), services);
      TestConfigs.writeUsers(dir.resolve("users.yaml"));
      Files.writeString(dir.resolve("config.yaml"), "http:\n  host: 127.0.0.1\n  port: " + httpPort + "\n"
          + "systemd:\n  bus: \"" + sandbox.busAddress() + "\"\nhistory_file: data/history.jsonl\n"
          + "insight:\n  database: data/servicemanager.db\nconfig_history:\n  dir: data/config-history\n"
          + "auth:\n  secret_file: data/secret.key\n" + (clusterYaml == null ? "" : clusterYaml));
      if (units > 0) {
        sandbox.systemctlOk(running.toArray(String[]::new));
      }
      return node;
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  void start(Path jar, List<String> jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--config", dir.resolve("config.yaml").toString()));
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node.log").toFile()).start();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash or a pulled plug. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill9();
      }
    }
    sandbox.close();
  }
}
