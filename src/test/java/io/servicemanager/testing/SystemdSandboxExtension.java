package io.servicemanager.testing;

import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.sandbox.SystemdSandboxBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh systemd user manager for one test class, on a real systemd (DESIGN.md §8):
 *
 * <pre>
 * &#64;RegisterExtension
 * static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service")
 *     .withUnit("other.service", "[Service]\nExecStart=/bin/sleep 400\n");
 * </pre>
 *
 * Started in beforeAll, closed in afterAll. If the sandbox cannot start, beforeAll throws and every
 * test of the class fails with systemd's output — never skipped.
 */
public final class SystemdSandboxExtension implements BeforeAllCallback, AfterAllCallback {
  private final List<String> resources = new ArrayList<>();
  private final Map<String, String> units = new LinkedHashMap<>();
  private boolean journal;
  private volatile SystemdSandbox sandbox;
  private volatile String owner;

  /** @param unitResources class-path unit files, e.g. {@code "units/sleeper.service"} (src/test/resources/units/) */
  public SystemdSandboxExtension(String... unitResources) {
    resources.addAll(List.of(unitResources));
  }

  public SystemdSandboxExtension withUnit(String fileName, String content) {
    units.put(fileName, content);
    return this;
  }

  /** A private journald beside the manager: units log to it (read it through {@link SystemdSandbox#journalCommandPrefix()}). */
  public SystemdSandboxExtension withJournal() {
    journal = true;
    return this;
  }

  public SystemdSandboxExtension withUnitResource(String resource) {
    resources.add(resource);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (sandbox != null) {
      return; // a @Nested class shares its enclosing class's sandbox
    }
    SystemdSandboxBuilder builder = SystemdSandbox.builder().unitResources(resources).units(units);
    if (journal) {
      builder.journal();
    }
    sandbox = builder.start();
    owner = context.getUniqueId();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sandbox != null && context.getUniqueId().equals(owner)) {
      sandbox.close();
      sandbox = null;
      owner = null;
    }
  }

  /** The running sandbox. */
  /**
   * Waits, at most {@code timeout}, until a line of the sandbox's own journal matches {@code line}
   * (journalctl --follow in its namespace); fails the test otherwise. Only with {@link #withJournal()}.
   */
  public void awaitInJournal(Predicate<String> line, String what, Duration timeout) {
    sandbox().awaitInJournal(line, what, timeout);
  }

  public SystemdSandbox sandbox() {
    SystemdSandbox current = sandbox;
    if (current == null) {
      throw new IllegalStateException(
          "no systemd sandbox: register SystemdSandboxExtension on a static field with @RegisterExtension");
    }
    return current;
  }

  /** {@code unix:path=…} of the sandbox's bus, for a SystemdClient or config.yaml's systemd.bus. */
  public String busAddress() {
    return sandbox().busAddress();
  }

  public SystemdSandbox.Result systemctl(String... args) {
    return sandbox().systemctl(args);
  }

  public String activeState(String unit) {
    return sandbox().activeState(unit);
  }
}
