package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A second JVM that owns a sandbox until it is stopped, for tests of what happens when its owner goes. */
final class SandboxJvm implements AutoCloseable {
  final Process jvm;
  final Path dir;
  final List<Long> pids;

  private SandboxJvm(Process jvm, Path dir) {
    this.jvm = jvm;
    this.dir = dir;
    this.pids = jvm.descendants().map(ProcessHandle::pid).collect(Collectors.toList());
  }

  /** @param demo run {@link SystemdSandbox#startDemo()} rather than a sandbox with a running sleeper.service */
  static SandboxJvm start(boolean demo) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), demo ? "demo" : "sleeper")
        .redirectErrorStream(true)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("SANDBOX ")) {
        Path dir = Path.of(line.substring("SANDBOX ".length()));
        assertThat(dir).as("the other JVM's sandbox directory").exists();
        return new SandboxJvm(jvm, dir);
      }
    }
    throw new AssertionError("the sandbox JVM exited with " + jvm.onExit().join().exitValue() + " before it reported its sandbox");
  }

  @Override
  public void close() {
    jvm.destroyForcibly();
  }

  /** The other JVM's main: starts a sandbox, reports its directory, waits to be stopped. */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      SystemdSandbox sandbox;
      if (args[0].equals("demo")) {
        sandbox = SystemdSandbox.startDemo();
      } else {
        sandbox = SystemdSandbox.builder().unitResource("units/sleeper.service").closeOnShutdown().start();
        sandbox.systemctlOk("start", "sleeper.service");
      }
      System.out.println("SANDBOX " + sandbox.dir());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
