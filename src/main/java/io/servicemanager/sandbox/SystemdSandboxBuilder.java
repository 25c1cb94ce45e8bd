package io.servicemanager.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Collects unit files and options, then {@link #start()}s a {@link SystemdSandbox}. */
public final class SystemdSandboxBuilder {
  private final Map<String, String> units = new LinkedHashMap<>();
  private Duration startupTimeout = Duration.ofSeconds(10);
  private Duration stopTimeout = Duration.ofSeconds(10);
  private boolean closeOnShutdown;
  private boolean journal;
  private Path systemd = SandboxLauncher.DEFAULT_SYSTEMD;

  SystemdSandboxBuilder() {
  }

  /** A unit file, e.g. {@code unit("sleeper.service", "[Service]\nExecStart=/bin/sleep 400\n")}. */
  public SystemdSandboxBuilder unit(String fileName, String content) {
    units.put(UnitFiles.checkName(fileName), content);
    return this;
  }

  public SystemdSandboxBuilder units(Map<String, String> unitFiles) {
    unitFiles.forEach(this::unit);
    return this;
  }

  /** Every regular file directly in {@code dir} (none of them may have a name that is not a unit's). */
  public SystemdSandboxBuilder unitsFrom(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        unit(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read unit files from " + dir, e);
    }
    return this;
  }

  /** A unit file from the class path, e.g. {@code "units/sleeper.service"}; the last segment names it. */
  public SystemdSandboxBuilder unitResource(String resource) {
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    return unit(fileName, resource(resource));
  }

  public SystemdSandboxBuilder unitResources(List<String> resources) {
    resources.forEach(this::unitResource);
    return this;
  }

  /** How long to wait for the bus socket and the manager's first answer (default 10 s). */
  public SystemdSandboxBuilder startupTimeout(Duration timeout) {
    this.startupTimeout = timeout;
    return this;
  }

  /** How long {@link SystemdSandbox#close()} lets systemd stop its units before it kills them all (default 10 s). */
  public SystemdSandboxBuilder stopTimeout(Duration timeout) {
    this.stopTimeout = timeout;
    return this;
  }

  /** Also close the sandbox from a JVM shutdown hook (Ctrl-C, SIGTERM). */
  public SystemdSandboxBuilder closeOnShutdown() {
    this.closeOnShutdown = true;
    return this;
  }

  /**
   * Also run a private systemd-journald (DESIGN §6): units then write to it, not to
   * {@link SystemdSandbox#logFile()}, and {@link SystemdSandbox#journalCommandPrefix()} reads it.
   */
  public SystemdSandboxBuilder journal() {
    this.journal = true;
    return this;
  }

  /** For tests of start-up failures only. */
  SystemdSandboxBuilder systemdExecutable(Path executable) {
    this.systemd = executable;
    return this;
  }

  /** Starts the manager and waits until it answers; throws {@link SandboxException} with its output if not. */
  public SystemdSandbox start() {
    return SystemdSandbox.start(new Options(Map.copyOf(units), startupTimeout, stopTimeout, closeOnShutdown, systemd,
        journal));
  }

  record Options(Map<String, String> units, Duration startupTimeout, Duration stopTimeout, boolean closeOnShutdown,
      Path systemd, boolean journal) {
  }

  static String resource(String name) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = SystemdSandboxBuilder.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }
}
