package io.servicemanager.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Service Manager in a JVM of its own ({@code Main --config FILE} on the test class path), its output
 * copied to a log file and offered to waiters line by line, so a test waits on what it logs. Public for
 * {@link io.servicemanager.testing.FleetFixture}.
 */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final List<String> lines = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<String> match, CompletableFuture<String> found) {}

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::read, "node-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(Path config, Path log, String... jvmOptions) throws IOException {
    return start(System.getProperty("java.class.path"), config, log, jvmOptions);
  }

  /** The packaged jar, as shipped (failsafe runs after package). */
  public static NodeProcess startJar(Path config, Path log, String... jvmOptions) throws IOException {
    return start(Path.of("target", "service-manager.jar").toString(), config, log, jvmOptions);
  }

  private static NodeProcess start(String classPath, Path config, Path log, String... jvmOptions) throws IOException {
    return start(classPath, log, List.of(jvmOptions), List.of("--config", config.toString()));
  }

  /** The packaged jar with these arguments, e.g. a subcommand ({@code demo --nodes 3}). */
  public static NodeProcess startJarWith(Path log, String... args) throws IOException {
    return start(Path.of("target", "service-manager.jar").toString(), log, List.of(), List.of(args));
  }

  private static NodeProcess start(String classPath, Path log, List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: C1 only, one GC thread (the machine is shared).
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath, "io.servicemanager.Main"));
    command.addAll(args);
    return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM, as Ctrl-C: the process's shutdown hooks run. Returns its exit status. */
  int terminate(Duration timeout) throws Exception {
    process.destroy();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("still running " + timeout + " after SIGTERM; log " + log + ":\n" + Files.readString(log));
    }
    return process.exitValue();
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log), true)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        copy.println(line);
        synchronized (this) {
          lines.add(line);
          for (Waiter w : waiters) {
            if (!w.found.isDone() && w.match.test(line)) {
              w.found.complete(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // the process was killed: its output ends here
    }
    synchronized (this) {
      waiters.forEach(w -> w.found.completeExceptionally(new IllegalStateException("the process exited")));
    }
  }

  /** Waits for a line that matches, logged from now on or already. */
  public String await(Predicate<String> match, String what, Duration timeout) throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    synchronized (this) {
      lines.stream().filter(match).findFirst().ifPresent(found::complete);
      waiters.add(new Waiter(match, found));
    }
    return awaitFuture(found, what, timeout);
  }

  /** Waits for a matching line logged after this call. */
  public CompletableFuture<String> next(Predicate<String> match) {
    CompletableFuture<String> found = new CompletableFuture<>();
    synchronized (this) {
      waiters.add(new Waiter(match, found));
    }
    return found;
  }

  public String awaitFuture(CompletableFuture<String> found, String what, Duration timeout) throws Exception {
    try {
      return found.get(timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError(what + " not logged (" + e + "); log " + log + ":\n" + Files.readString(log));
    }
  }

  /** SIGKILL, as a crash or a pulled plug would. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill9();
  }
}
