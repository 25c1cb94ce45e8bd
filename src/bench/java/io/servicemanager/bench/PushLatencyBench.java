package io.servicemanager.bench;

import io.servicemanager.Addresses;
import io.servicemanager.Application;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.sandbox.SystemdSandbox;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.systemd.UnitPaths;
import io.servicemanager.systemd.UnitSnapshot;
import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties.PropertiesChanged;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.types.Variant;

/**
 * Push latency, StartUnit/StopUnit → /ws status frame, against the floor: a raw dbus-java subscriber
 * on its own connection in the same JVM, seeing the same PropertiesChanged. A third connection issues
 * the jobs. Every transition is seen by every observer before the next one starts.
 *
 * <p>Observers besides the floor and /ws: the manager's event bus (a consumer on
 * {@code servicemanager.status}), and the floor's own signal handed on by runOnContext and then an
 * event-bus publish — the bare cost of the two hand-offs the manager makes. A second, diagnostic pass
 * adds the manager's {@link DbusSystemdClient} on a connection of its own (its match rules, its
 * hand-off to a context, no verticle), to tell the client layer from the verticles.
 */
final class PushLatencyBench {
  static final String SERVICE = "bench@push";
  static final String UNIT = SERVICE + ".service";
  private static final String HOP_ADDRESS = "bench.hop";
  private static final long TRANSITION_TIMEOUT_S = 10;
  private static final int MAX_TIMEOUTS = 5;

  /** Nanoseconds after t0, just before the call; {@code client} is 0 outside the diagnostic pass. */
  record Transition(String to, long reply, long floor, long hop1, long hop2, long client, long bus, long ws) {}

  /**
   * @param early the rounds right after the warm-up: the JIT has not yet compiled the manager's path
   * @param steady the rounds after {@code settleRounds} more: a server that has been up a while
   * @param diagnostic the last pass, with the manager's DbusSystemdClient as one more subscriber
   */
  record Result(List<Transition> early, List<Transition> steady, List<Transition> diagnostic, int timeouts,
      List<String> notes) {}

  /** One transition in flight: the state awaited and when each observer first saw it. */
  private static final class Pending {
    final String expected;
    final AtomicLong raw = new AtomicLong();
    final AtomicLong hop1 = new AtomicLong();
    final AtomicLong hop2 = new AtomicLong();
    final AtomicLong client = new AtomicLong();
    final AtomicLong bus = new AtomicLong();
    final AtomicLong ws = new AtomicLong();
    final CountDownLatch seen;

    Pending(String expected, int observers) {
      this.expected = expected;
      this.seen = new CountDownLatch(observers);
    }

    void mark(AtomicLong slot, String state, long now) {
      if (expected.equals(state) && slot.compareAndSet(0, now)) {
        seen.countDown();
      }
    }
  }

  private final BenchConfig config;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private final CompletableFuture<Void> settledInactive = new CompletableFuture<>();
  private Context hopContext;

  PushLatencyBench(BenchConfig config) {
    this.config = config;
  }

  Result run() throws Exception {
    try (SystemdSandbox sandbox = SystemdSandbox.builder().unitResource("units/bench@.service")
        .closeOnShutdown().start();
        AppFiles files = AppFiles.create(catalogue())) {
      String address = sandbox.busAddress();
      DBusConnection raw = connect(address);
      DBusConnection caller = connect(address);
      Vertx vertx = Vertx.vertx();
      TimedWsClient ws = null;
      try {
        wireHops(vertx);
        subscribeRaw(raw);
        Manager manager = caller.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> {
          long now = System.nanoTime();
          Pending p = pending.get();
          if (p != null && SERVICE.equals(m.body().getString("name"))) {
            p.mark(p.bus, m.body().getString("status"), now);
          }
        }).completion().await();
        Application app = Application.deploy(vertx, files.config(address), catalogue()).await();
        ws = TimedWsClient.connect(app.httpPort(), this::onWs);
        settledInactive.get(TRANSITION_TIMEOUT_S, TimeUnit.SECONDS);
        List<String> notes = new ArrayList<>();
        List<Transition> early = rounds(manager, config.warmupRounds(), config.rounds(), 5, notes);
        List<Transition> steady = rounds(manager, config.settleRounds(), config.rounds(), 5, notes);
        DbusSystemdClient client = new DbusSystemdClient(vertx, address);
        client.connect(clientEvents()).await();
        List<Transition> diagnostic;
        try {
          diagnostic = rounds(manager, 5, Math.max(10, config.rounds() / 2), 6, notes);
        } finally {
          client.close().await();
        }
        return new Result(early, steady, diagnostic, notes.size(), notes);
      } finally {
        if (ws != null) {
          ws.close();
        }
        vertx.close().await();
        raw.disconnect();
        caller.disconnect();
      }
    }
  }

  private List<Transition> rounds(Manager manager, int warmup, int rounds, int observers, List<String> notes)
      throws InterruptedException {
    List<Transition> measured = new ArrayList<>();
    for (int round = 0; round < warmup + rounds; round++) {
      for (String to : List.of("active", "inactive")) {
        Transition t = transition(manager, to, observers);
        if (t == null) {
          notes.add("round " + round + ": no " + to + " seen by every observer within " + TRANSITION_TIMEOUT_S + " s");
          if (notes.size() > MAX_TIMEOUTS) {
            throw new IllegalStateException("push latency: too many timeouts: " + notes);
          }
        } else if (round >= warmup) {
          measured.add(t);
        }
        Thread.sleep(config.pauseMs());
      }
    }
    return measured;
  }

  private Transition transition(Manager manager, String to, int observers) throws InterruptedException {
    Pending p = new Pending(to, observers);
    pending.set(p);
    long t0 = System.nanoTime();
    if (to.equals("active")) {
      manager.StartUnit(UNIT, "replace");
    } else {
      manager.StopUnit(UNIT, "replace");
    }
    long reply = System.nanoTime() - t0;
    boolean all = p.seen.await(TRANSITION_TIMEOUT_S, TimeUnit.SECONDS);
    pending.set(null);
    if (!all) {
      return null;
    }
    long client = p.client.get();
    return new Transition(to, reply, p.raw.get() - t0, p.hop1.get() - t0, p.hop2.get() - t0,
        client == 0 ? 0 : client - t0, p.bus.get() - t0, p.ws.get() - t0);
  }

  /** The floor: the same signal, on a connection of its own, with nothing after it. */
  private void subscribeRaw(DBusConnection raw) throws DBusException {
    raw.addSigHandler(DBusMatchRuleBuilder.create()
            .withType(PropertiesChanged.class)
            .withPath(UnitPaths.of(UNIT))
            .withArg0123(0, Interfaces.UNIT)
            .build(),
        (PropertiesChanged s) -> {
          long now = System.nanoTime();
          Variant<?> state = s.getPropertiesChanged().get("ActiveState");
          if (state == null) {
            return;
          }
          String active = String.valueOf(state.getValue());
          Pending p = pending.get();
          if (p != null) {
            p.mark(p.raw, active, now);
          }
          hopContext.runOnContext(v -> {
            long hopped = System.nanoTime();
            Pending current = pending.get();
            if (current != null) {
              current.mark(current.hop1, active, hopped);
            }
            hopContext.owner().eventBus().publish(HOP_ADDRESS, active);
          });
        });
    raw.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class).Subscribe();
  }

  /** Two contexts, so the two hand-offs land on two event loops, as the manager's do. */
  private void wireHops(Vertx vertx) {
    hopContext = vertx.getOrCreateContext(); // from a non-Vert.x thread: a new event-loop context
    Context consumerContext = vertx.getOrCreateContext();
    CompletableFuture<Void> registered = new CompletableFuture<>();
    consumerContext.runOnContext(v -> vertx.eventBus().<String>localConsumer(HOP_ADDRESS, m -> {
      long now = System.nanoTime();
      Pending p = pending.get();
      if (p != null) {
        p.mark(p.hop2, m.body(), now);
      }
    }).completion().onComplete(ar -> registered.complete(null)));
    registered.join();
  }

  /** What the status verticle would be told, stamped on the context the client hands it to. */
  private SystemdEvents clientEvents() {
    String path = UnitPaths.of(UNIT);
    return new SystemdEvents() {
      @Override
      public void propertiesChanged(String signalPath, Map<String, Object> changed) {
        long now = System.nanoTime();
        Object state = changed.get(UnitSnapshot.ACTIVE_STATE);
        Pending p = pending.get();
        if (p != null && path.equals(signalPath) && state != null) {
          p.mark(p.client, state.toString(), now);
        }
      }

      @Override
      public void disconnected(String reason) {}
    };
  }

  private void onWs(long now, JsonObject message) {
    String type = message.getString("type");
    if ("status".equals(type)) {
      JsonObject view = message.getJsonObject("service");
      if (SERVICE.equals(view.getString("name"))) {
        Pending p = pending.get();
        if (p != null) {
          p.mark(p.ws, view.getString("status"), now);
        }
        if ("inactive".equals(view.getString("status"))) {
          settledInactive.complete(null);
        }
      }
    } else if ("snapshot".equals(type)) {
      JsonArray services = message.getJsonArray("services");
      for (int i = 0; i < services.size(); i++) {
        JsonObject view = services.getJsonObject(i);
        if (SERVICE.equals(view.getString("name")) && "inactive".equals(view.getString("status"))) {
          settledInactive.complete(null);
        }
      }
    }
  }

  static DBusConnection connect(String address) throws DBusException {
    return DBusConnectionBuilder.forAddress(address).withShared(false).build();
  }

  private static ServiceCatalogue catalogue() {
    return new ServiceCatalogue(List.of(
        new ServiceDefinition(SERVICE, UNIT, "push", "push latency fixture", Permission.ALL, true)));
  }
}
