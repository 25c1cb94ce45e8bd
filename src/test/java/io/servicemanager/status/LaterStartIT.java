package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A unit whose first read asked for no main PID (its sub-state had no main process) gets its PID
 * with the change when it later runs: the status feed end to end on a real systemd.
 */
class LaterStartIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Exits at once (active, exited) until the manager's environment says GO=1; then it runs. */
  private static final String UNIT = "sm-views-later.service";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit(UNIT, "[Service]\nType=simple\nRemainAfterExit=yes\n"
          + "ExecStart=/bin/sh -c 'if [ \"$$GO\" = 1 ]; then exec /bin/sleep 400; fi'\n");

  static Vertx vertx;
  static final List<JsonObject> views = new ArrayList<>();
  static final List<Waiter> waiters = new ArrayList<>();

  record Waiter(Predicate<JsonObject> match, CompletableFuture<JsonObject> seen) {}

  @BeforeAll
  static void deploy() {
    systemd.sandbox().systemctlOk("start", UNIT);
    systemd.sandbox().awaitActiveState(UNIT, "active", WAIT);
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> seen(m.body())).completion().await();
    ServiceCatalogue services = new ServiceCatalogue(List.of(
        new ServiceDefinition("later", UNIT, "later", "later", Permission.ALL, true)));
    Application.deploy(vertx, TestConfigs.forBus(systemd.sandbox().busAddress()), services).await();
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static synchronized void seen(JsonObject view) {
    views.add(view);
    waiters.removeIf(w -> w.match.test(view) && w.seen.complete(view));
  }

  private static JsonObject await(Predicate<JsonObject> match) throws Exception {
    CompletableFuture<JsonObject> seen = new CompletableFuture<>();
    synchronized (LaterStartIT.class) {
      views.stream().filter(match).findFirst().ifPresentOrElse(seen::complete,
          () -> waiters.add(new Waiter(match, seen)));
    }
    return seen.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  @DisplayName("A service read as active (exited), with no main PID asked for, shows the PID of its process when it is restarted and runs")
  void pidComesWithTheStart() throws Exception {
    JsonObject exited = await(v -> "exited".equals(v.getString("sub_state")) && v.getValue("since") != null);
    assertThat(exited.getString("status")).isEqualTo("active");
    assertThat(exited.getValue("main_pid")).isNull();

    systemd.sandbox().systemctlOk("set-environment", "GO=1");
    systemd.sandbox().systemctlOk("restart", UNIT);
    JsonObject running = await(v -> "running".equals(v.getString("sub_state")) && v.getValue("main_pid") != null);

    long pid = Long.parseLong(systemd.sandbox().property(UNIT, "MainPID"));
    assertThat(pid).isPositive();
    assertThat(running.getString("status")).isEqualTo("active");
    assertThat(running.getLong("main_pid")).isEqualTo(pid);
    assertThat(running.getString("since")).isNotNull();
  }
}
