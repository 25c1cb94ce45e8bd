package io.servicemanager.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real systemd user manager, private to its owner: its own temp directory, unit files, D-Bus daemon
 * (started by systemd through {@code dbus.socket} on first connect), mount namespace and cgroup subtree.
 * Recipe and rationale: DESIGN.md §8. Needs root.
 *
 * <p>{@link #close()} stops systemd (which stops its units), kills whatever is left in the sandbox's
 * cgroup, and deletes the directory; it is idempotent and can run from a shutdown hook.
 */
public final class SystemdSandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdSandbox.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** Class-path resource of the demo's services.yaml (it names the units {@link #startDemo()} runs). */
  public static final String DEMO_SERVICES = "demo/services.yaml";
  /** Class-path resource of the services.yaml of {@link #startDemoPeer()}. */
  public static final String DEMO_PEER_SERVICES = "demo/peer-services.yaml";

  /** What {@code systemctl} answered. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private final SandboxLayout layout;
  private final SandboxBus bus;
  private final Process manager;
  private final SandboxCgroup cgroup;
  private final Duration stopTimeout;
  private final Object closeLock = new Object();
  private volatile boolean closed;
  private volatile Thread shutdownHook;

  SystemdSandbox(SandboxLayout layout, Process manager, SandboxCgroup cgroup, Duration stopTimeout) {
    this.layout = layout;
    this.bus = new SandboxBus(this, layout.busSocket());
    this.manager = manager;
    this.cgroup = cgroup;
    this.stopTimeout = stopTimeout;
  }

  /** A sandbox with these unit files (file name → content). */
  public static SystemdSandbox start(Map<String, String> unitFiles) {
    return builder().units(unitFiles).start();
  }

  /** A sandbox with every unit file found directly in {@code unitsDir}. */
  public static SystemdSandbox start(Path unitsDir) {
    return builder().unitsFrom(unitsDir).start();
  }

  /**
   * The demo: the units of src/main/resources/demo/units/ with pzserver, sample-service (HTTP on
   * 127.0.0.1:8081) and crashy started — returns once crashy has failed — and backup left inactive.
   * Closes itself on JVM shutdown. {@link #demoServicesFile()} is the matching services.yaml.
   */
  public static SystemdSandbox startDemo() {
    return DemoUnits.start();
  }

  /**
   * Another node of {@code demo --nodes N}: pzserver (a name it shares with {@link #startDemo()}) and
   * chat-bot, both started; closes itself on JVM shutdown. {@link #demoServicesFile()} matches it.
   */
  public static SystemdSandbox startDemoPeer() {
    return DemoUnits.startPeer();
  }

  public static SystemdSandboxBuilder builder() {
    return new SystemdSandboxBuilder();
  }

  static SystemdSandbox start(SystemdSandboxBuilder.Options options) {
    return SandboxLauncher.start(options);
  }

  /** {@code unix:path=…} of the sandbox's session bus. */
  public String busAddress() {
    return "unix:path=" + layout.busSocket();
  }

  public Path dir() {
    return layout.dir();
  }

  /** Where the manager reads unit files ({@code $XDG_CONFIG_HOME/systemd/user}). */
  public Path unitDir() {
    return layout.unitDir();
  }

  /**
   * systemd's stdout/stderr, which is also where units write (DefaultStandardOutput=inherit), unless
   * the sandbox has its own journald (then they write to it: {@link #journal}).
   */
  public Path logFile() {
    return layout.log();
  }

  /**
   * The command prefix that runs a program (journalctl) in this sandbox's mount namespace, where its
   * private journald's files are: {@code nsenter -t <manager pid> -m --}.
   */
  public List<String> journalCommandPrefix() {
    return List.of("nsenter", "-t", Long.toString(manager.pid()), "-m", "--");
  }

  /**
   * Runs {@code journalctl --no-pager ARGS} on the sandbox's private journal (30 s timeout); only for a
   * sandbox started with {@link SystemdSandboxBuilder#journal()}.
   */
  public Result journal(String... args) {
    checkOpen();
    List<String> command = new ArrayList<>(journalCommandPrefix());
    command.addAll(List.of("journalctl", "--no-pager"));
    command.addAll(Arrays.asList(args));
    return Commands.run(command, Map.of(), COMMAND_TIMEOUT);
  }

  /** After {@link #startDemo()}: a copy of {@link #DEMO_SERVICES} in the sandbox directory. */
  public Path demoServicesFile() {
    return layout.dir().resolve("services.yaml");
  }

  /** Environment that points systemctl, busctl or a D-Bus client at this sandbox. */
  public Map<String, String> clientEnvironment() {
    return layout.clientEnvironment();
  }

  /** Writes (or replaces) a unit file. systemd sees changes to known units after {@link #daemonReload()}. */
  public void writeUnit(String fileName, String content) {
    checkOpen();
    UnitFiles.write(layout.unitDir(), fileName, content);
  }

  public void removeUnit(String fileName) {
    checkOpen();
    UnitFiles.remove(layout.unitDir(), fileName);
  }

  /** Runs {@code systemctl --user ARGS} against this sandbox (30 s timeout). */
  public Result systemctl(String... args) {
    checkOpen();
    List<String> command = new ArrayList<>(List.of("systemctl", "--user", "--no-pager"));
    command.addAll(Arrays.asList(args));
    return Commands.run(command, layout.clientEnvironment(), COMMAND_TIMEOUT);
  }

  /** Like {@link #systemctl} but throws, with systemctl's output, unless it exits 0. */
  public String systemctlOk(String... args) {
    Result result = systemctl(args);
    if (!result.ok()) {
      throw new SandboxException("systemctl --user " + String.join(" ", args) + " exited " + result.exitCode()
          + ": " + result.stderr().strip() + layout.describeLogs());
    }
    return result.stdout();
  }

  public void daemonReload() {
    systemctlOk("daemon-reload");
  }

  /** One property of a unit as systemctl prints it, e.g. {@code property("x.service", "SubState")}. */
  public String property(String unit, String name) {
    return systemctlOk("show", "--property=" + name, "--value", "--", unit).strip();
  }

  /** ActiveState: active, inactive, failed, activating, deactivating or reloading. */
  public String activeState(String unit) {
    return property(unit, "ActiveState");
  }

  /** Polls (every 20 ms) until the unit's ActiveState is {@code expected}; throws with the last state. */
  public void awaitActiveState(String unit, String expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = activeState(unit);
    while (!state.equals(expected)) {
      if (System.nanoTime() > deadline) {
        throw new SandboxException(unit + " is " + state + ", not " + expected + " after " + timeout);
      }
      pause(20);
      state = activeState(unit);
    }
  }

  /**
   * Waits, at most {@code timeout}, until a line of the sandbox's own journal matches {@code line}
   * ({@code journalctl --follow} in its namespace, no polling); throws otherwise. Only for a sandbox
   * started with {@link SystemdSandboxBuilder#journal()}.
   */
  public void awaitInJournal(Predicate<String> line, String what, Duration timeout) {
    checkOpen();
    List<String> argv = new ArrayList<>(journalCommandPrefix());
    argv.addAll(List.of("journalctl", "--follow", "--lines=all", "--output=cat", "--no-pager"));
    Process follow;
    try {
      follow = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new SandboxException("cannot run journalctl: " + e.getMessage());
    }
    try {
      CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(),
            StandardCharsets.UTF_8))) {
          return lines.lines().anyMatch(line);
        } catch (IOException e) {
          return false;
        }
      });
      if (!seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SandboxException(what + " not in the sandbox's journal");
      }
    } catch (TimeoutException e) {
      throw new SandboxException(what + " not in the sandbox's journal within " + timeout);
    } catch (ExecutionException e) {
      throw new SandboxException("reading the sandbox's journal failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while waiting for " + what);
    } finally {
      follow.destroyForcibly();
    }
  }

  /** The pid of the sandbox's systemd user manager. */
  public long managerPid() {
    return manager.pid();
  }

  /**
   * The pid of the sandbox's dbus-daemon. systemd starts it on the first connection to the bus socket,
   * so this connects once if it is not running yet, and waits (up to 10 s) for it.
   */
  public long busDaemonPid() {
    checkOpen();
    return bus.daemonPid();
  }

  /**
   * SIGKILLs the dbus-daemon (for tests of bus loss) and returns its pid. dbus.socket keeps listening,
   * so the next client's connect brings up a fresh daemon.
   */
  public long killBusDaemon() {
    checkOpen();
    return bus.killDaemon();
  }

  /** Closes this sandbox when the JVM shuts down (Ctrl-C, SIGTERM, System.exit). */
  public SystemdSandbox closeOnShutdown() {
    synchronized (closeLock) {
      if (shutdownHook == null && !closed) {
        shutdownHook = new Thread(this::close, "systemd-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
    }
    return this;
  }

  /**
   * Stops systemd with SIGTERM (it stops its units and exits), SIGKILLs it after the stop timeout
   * (default 10 s; systemd's own default for a unit ignoring SIGTERM is 90 s), then SIGKILLs
   * anything still in the sandbox's cgroup or process tree and deletes the directory. Safe to repeat.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      dropShutdownHook();
      SandboxShutdown.stopAndDelete(manager, cgroup, stopTimeout, layout);
    }
  }

  public boolean isClosed() {
    return closed;
  }

  private void dropShutdownHook() {
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it will find us closed
      }
    }
  }

  void checkManagerPid(Path systemd) {
    String command = manager.toHandle().info().command().orElse("?");
    if (!command.equals(systemd.toString())) {
      throw new SandboxException("expected pid " + manager.pid() + " to be " + systemd + " but it is " + command);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("systemd sandbox " + layout.dir() + " is closed");
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted", e);
    }
  }
}
