package io.servicemanager.cli;

import io.servicemanager.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of {@code demo --nodes N} in a JVM of its own: this JVM's java and class path (the same
 * jar), {@code Main --config FILE}, its output in a log file. Stopped with SIGTERM, so it leaves the
 * fleet through its own shutdown hook; SIGKILLed when that takes too long.
 */
final class ChildNode implements AutoCloseable {
  /** Small: every node of the demo shares one machine. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError");
  private static final long STOP_SECONDS = Shutdown.CLOSE_SECONDS + 5;
  private final String node;
  private final Process process;
  private final Path log;
  private volatile boolean stopping;

  private ChildNode(String node, Process process, Path log) {
    this.node = node;
    this.process = process;
    this.log = log;
    process.onExit().thenAccept(p -> {
      if (!stopping) {
        System.err.printf("demo: node %s exited with status %d; its log: %s%n", node, p.exitValue(), log);
      }
    });
  }

  /** @param journalPid the pid of the node's sandboxed systemd, in whose mount namespace its journal is */
  static ChildNode start(String node, Path config, Path log, long journalPid) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString(),
        "--journal-namespace-of", Long.toString(journalPid)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The environment overrides (SERVICE_MANAGER_SYSTEMD_BUS, …) would point every node at one place.
    builder.environment().keySet().removeIf(name -> name.startsWith("SERVICE_MANAGER_"));
    Process process = builder.start();
    return new ChildNode(node, process, log);
  }

  String node() {
    return node;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    process.destroy();
    if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
    }
  }
}
