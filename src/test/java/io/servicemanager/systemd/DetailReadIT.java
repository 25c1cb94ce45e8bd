package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.status.ServiceView;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.interfaces.DBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The details of many units, read as one pipeline of Gets built as messages and handed on in chunks,
 * on a real systemd: the same values the proxies' Gets give, in the order asked, chunk by chunk on the
 * caller's context.
 */
class DetailReadIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** More than the first chunk and one more: three chunks. */
  private static final int INSTANCES = DetailRead.FIRST_CHUNK + DetailRead.CHUNK + 30;

  /** A simple service whose process is gone: active (exited). */
  private static final String EXITED = "sm-views-exited.service";
  /** Failed, and waiting to be restarted: activating (auto-restart). */
  private static final String RESTARTING = "sm-views-restarting.service";

  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/scale@.service", "units/sleeper.service",
      "units/exits-one.service")
      .withUnit("idle.service", "[Service]\nExecStart=/bin/sleep 400\n")
      .withUnit(EXITED, "[Service]\nType=simple\nRemainAfterExit=yes\nExecStart=/bin/true\n")
      .withUnit(RESTARTING, "[Service]\nRestart=always\nRestartSec=300\nExecStart=/bin/false\n");

  static Vertx vertx;
  static DbusSystemdClient client;
  static List<String> units = new ArrayList<>();

  @BeforeAll
  static void connect() {
    systemd.sandbox().systemctlOk("start", "sleeper.service");
    systemd.sandbox().systemctl("start", "exits-one.service");
    systemd.sandbox().awaitActiveState("exits-one.service", "failed", WAIT);
    systemd.sandbox().systemctlOk("start", EXITED);
    systemd.sandbox().systemctl("start", RESTARTING);
    systemd.sandbox().awaitActiveState(RESTARTING, "activating", WAIT);
    List<String> start = new ArrayList<>(List.of("start"));
    units.addAll(List.of("sleeper.service", "exits-one.service", "idle.service", "ghost.service", EXITED, RESTARTING));
    for (int i = 1; i <= INSTANCES; i++) {
      units.add("scale@" + i + ".service");
      start.add("scale@" + i + ".service");
    }
    systemd.sandbox().systemctlOk(start.toArray(String[]::new));
    vertx = Vertx.vertx();
    client = new DbusSystemdClient(vertx, systemd.sandbox().busAddress());
    client.connect(new SystemdEvents() {
      @Override
      public void propertiesChanged(String path, Map<String, Object> changed) {}

      @Override
      public void disconnected(String reason) {}
    }).await();
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      client.close().await();
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("Chunks come in the order asked — a screenful first, then larger ones — each on the caller's context, all before the read completes")
  void chunksInOrder() {
    List<List<UnitSnapshot>> chunks = new CopyOnWriteArrayList<>();
    List<Boolean> onCaller = new CopyOnWriteArrayList<>();
    Context context = vertx.getOrCreateContext();
    Promise<Integer> seenAtEnd = Promise.promise();
    context.runOnContext(v -> client.readStates(units)
        .compose(states -> client.readDetails(states, chunk -> {
          chunks.add(chunk);
          onCaller.add(Vertx.currentContext() == context);
        }))
        .onComplete(ar -> seenAtEnd.handle(ar.map(x -> chunks.size()))));
    int atEnd = seenAtEnd.future().await();

    assertThat(atEnd).isEqualTo(3);
    assertThat(chunks).extracting(List::size)
        .containsExactly(DetailRead.FIRST_CHUNK, DetailRead.CHUNK, units.size() - DetailRead.FIRST_CHUNK - DetailRead.CHUNK);
    assertThat(chunks.stream().flatMap(List::stream).map(UnitSnapshot::unit)).containsExactlyElementsOf(units);
    assertThat(onCaller).containsOnly(true);
  }

  @Test
  @DisplayName("The pipelined details equal what one Get per property gives: timestamps and PIDs of running units, none read for inactive or missing ones")
  void sameAsGets() {
    List<UnitSnapshot> details = client.readUnits(units).await();
    for (String unit : List.of("sleeper.service", "scale@1.service", "scale@" + INSTANCES + ".service", "exits-one.service")) {
      UnitSnapshot piped = details.stream().filter(d -> d.unit().equals(unit)).findFirst().orElseThrow();
      UnitSnapshot single = client.readUnit(unit).await();
      assertThat(piped.stateChangeTimestampMicros()).as(unit).isPositive()
          .isEqualTo(single.stateChangeTimestampMicros());
      if ("active".equals(single.activeState())) {
        assertThat(piped.properties()).as(unit).containsKey(UnitSnapshot.MAIN_PID);
        assertThat(piped.mainPid()).as(unit).isEqualTo(single.mainPid());
      }
    }
    UnitSnapshot sleeper = details.get(units.indexOf("sleeper.service"));
    assertThat(sleeper.mainPid()).isPositive();
    UnitSnapshot failed = details.get(units.indexOf("exits-one.service"));
    assertThat(failed.activeState()).isEqualTo("failed");
    assertThat(failed.properties()).containsKey(UnitSnapshot.TIMEOUT_START_USEC);
    assertThat(details.get(units.indexOf("idle.service")).properties())
        .containsOnlyKeys(UnitSnapshot.LOAD_STATE, UnitSnapshot.ACTIVE_STATE, UnitSnapshot.SUB_STATE);
    UnitSnapshot ghost = details.get(units.indexOf("ghost.service"));
    assertThat(ghost.loadState()).isEqualTo("not-found");
    assertThat(ghost.properties()).doesNotContainKeys(UnitSnapshot.STATE_CHANGE_TIMESTAMP, UnitSnapshot.MAIN_PID);
  }

  @Test
  @DisplayName("Running, exited, auto-restarting, failed, inactive and missing units get the same views from the bulk read as from a full read of each: same since, same PID, though no PID is asked for where the sub-state has no main process")
  void viewsAsFullReads() {
    List<UnitSnapshot> details = client.readUnits(units).await();
    assertThat(details).extracting(UnitSnapshot::subState)
        .contains("running", "exited", "auto-restart", "failed", "dead");
    List<String> checked = List.of("sleeper.service", "exits-one.service", "idle.service", "ghost.service", EXITED,
        RESTARTING, "scale@1.service", "scale@" + INSTANCES + ".service");
    for (UnitSnapshot piped : details.stream().filter(d -> checked.contains(d.unit())).toList()) {
      UnitSnapshot single = client.readUnit(piped.unit()).await();
      ServiceDefinition def = new ServiceDefinition(piped.unit(), piped.unit(), piped.unit(), "", Permission.ALL, true);
      assertThat(ServiceView.of(def, piped, true, null)).as(piped.unit())
          .isEqualTo(ServiceView.of(def, single, true, null));
      if (!"inactive".equals(single.activeState()) && single.isLoaded()) {
        assertThat(piped.stateChangeTimestampMicros()).as(piped.unit()).isPositive()
            .isEqualTo(single.stateChangeTimestampMicros());
        assertThat(piped.properties()).as(piped.unit()).containsEntry(UnitSnapshot.MAIN_PID, single.mainPid());
      }
    }
    assertThat(details.get(units.indexOf("sleeper.service")).mainPid()).isPositive();
    assertThat(DetailRead.wanted(details.get(units.indexOf(EXITED)))).hasSize(1);
    assertThat(DetailRead.wanted(details.get(units.indexOf(RESTARTING)))).hasSize(1);
  }

  @Test
  @DisplayName("The bulk read over its own bare connection gives the same snapshots, unit for unit, as the same read through dbus-java, chunk by chunk in order; that connection is gone afterwards")
  void bareAsDbusJava() throws Exception {
    BusConnection c = BusConnection.open(systemd.busAddress(), vertx.getOrCreateContext(), NO_EVENTS, x -> {});
    try {
      BusNames names = new BusNames(c);
      List<UnitSnapshot> states = UnitProperties.readStates(c, units);
      List<List<UnitSnapshot>> chunks = new ArrayList<>();
      List<UnitSnapshot> bare = DetailRead.read(c, c.address, states, chunks::add);
      names.awaitAllGone(WAIT);
      List<UnitSnapshot> viaDbusJava = DetailRead.read(c, null, states, part -> {});

      assertThat(names.appeared()).as("the bare connection's unique name").hasSize(1);
      assertThat(bare).containsExactlyElementsOf(viaDbusJava);
      assertThat(chunks).extracting(List::size)
          .containsExactly(DetailRead.FIRST_CHUNK, DetailRead.CHUNK, units.size() - DetailRead.FIRST_CHUNK - DetailRead.CHUNK);
      assertThat(chunks.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(bare);
      assertThat(bare.get(units.indexOf("sleeper.service")).mainPid()).isPositive();
      assertThat(bare.get(units.indexOf("exits-one.service")).properties()).containsKey(UnitSnapshot.TIMEOUT_START_USEC);
    } finally {
      c.close();
    }
  }

  @Test
  @DisplayName("When no bare connection can be made, dbus-java reads every detail and the snapshots are the same")
  void fallsBackToDbusJava() throws Exception {
    BusConnection c = BusConnection.open(systemd.busAddress(), vertx.getOrCreateContext(), NO_EVENTS, x -> {});
    try {
      List<UnitSnapshot> states = UnitProperties.readStates(c, units);
      List<UnitSnapshot> chunked = new ArrayList<>();
      List<UnitSnapshot> fallback = DetailRead.read(c, "unix:path=/nonexistent/h17v-bus", states, chunked::addAll);

      assertThat(fallback).containsExactlyElementsOf(DetailRead.read(c, null, states, part -> {}));
      assertThat(chunked).containsExactlyElementsOf(fallback);
      assertThat(fallback.get(units.indexOf("scale@1.service")).stateChangeTimestampMicros()).isPositive();
    } finally {
      c.close();
    }
  }

  private static final SystemdEvents NO_EVENTS = new SystemdEvents() {
    @Override
    public void propertiesChanged(String path, Map<String, Object> changed) {}

    @Override
    public void disconnected(String reason) {}
  };

  /** The unique names that connect to the bus from now on, and whether each has left again. */
  private static final class BusNames {
    private final Set<String> appeared = new HashSet<>();
    private final Set<String> gone = new HashSet<>();
    private final CompletableFuture<Void> allGone = new CompletableFuture<>();

    BusNames(BusConnection c) throws Exception {
      c.dbus.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
        synchronized (this) {
          if (signal.name.startsWith(":") && signal.oldOwner.isEmpty()) {
            appeared.add(signal.name);
          } else if (signal.name.startsWith(":") && signal.newOwner.isEmpty()) {
            gone.add(signal.name);
          }
          if (!appeared.isEmpty() && gone.containsAll(appeared)) {
            allGone.complete(null);
          }
        }
      });
    }

    void awaitAllGone(Duration timeout) throws Exception {
      allGone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized Set<String> appeared() {
      return Set.copyOf(appeared);
    }
  }
}
