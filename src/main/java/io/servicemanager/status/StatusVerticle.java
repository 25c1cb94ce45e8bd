package io.servicemanager.status;

import io.servicemanager.Addresses;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.BusKeeper;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.systemd.UnitPaths;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows systemd for every visible configured service and publishes its view on change.
 *
 * <ul>
 *   <li>publishes {@code servicemanager.status} (a service view) once per real change of a visible
 *       service's view — repeated signals carrying the same state publish nothing;
 *   <li>publishes {@code servicemanager.bus} {@code {"connected": bool}} when the bus goes up or down;
 *   <li>answers {@code servicemanager.snapshot} {@code {}} with {@code {"services": [view…], "dbus":
 *       "connected"|"disconnected"}}.
 * </ul>
 *
 * <p>Never polls: one read after connecting, after each daemon-reload, and for a missing unit that
 * systemd announces as new; otherwise it lives on PropertiesChanged. Units of services whose status
 * is hidden are not even read, so nothing about them can leak.
 */
public final class StatusVerticle extends VerticleBase implements SystemdEvents {
  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);
  /** A read of a missing unit makes systemd announce it again; one probe per second breaks the echo. */
  private static final long PROBE_QUIET_MS = 1_000;

  private final SystemdClient systemd;
  private ServiceCatalogue catalogue;
  private final Map<String, List<ServiceDefinition>> servicesByUnit = new LinkedHashMap<>();
  private final Map<String, String> unitByPath = new HashMap<>();
  private final Map<String, UnitSnapshot> units = new HashMap<>();
  private final Map<String, Long> lastSignal = new HashMap<>();
  private final Map<String, Instant> lastCheck = new HashMap<>();
  private final Map<String, JsonObject> published = new HashMap<>();
  /** Units changed by signals whose views are not yet published, with the first signal's receive time. */
  private final Map<String, Long> signalled = new java.util.LinkedHashMap<>();
  private boolean flushQueued;
  private final Map<String, Long> probedAt = new HashMap<>();
  private final Set<String> probing = new HashSet<>();
  private long signalSeq;
  private boolean busUp;
  /** False until the first connection attempt ends: until then every status is "checking". */
  private boolean settled;
  private BusKeeper bus;

  public StatusVerticle(SystemdClient systemd, ServiceCatalogue catalogue) {
    this.systemd = systemd;
    this.catalogue = catalogue;
  }

  @Override
  public Future<?> start() {
    index();
    vertx.eventBus().consumer(Addresses.SNAPSHOT, this::answerSnapshot);
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        apply(ServiceCatalogue.fromJson(m.body()));
      }
    });
    bus = new BusKeeper(vertx, systemd, this, "status", this::readAll, this::connectFailed);
    bus.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return bus.stop();
  }

  private void index() {
    servicesByUnit.clear();
    unitByPath.clear();
    for (ServiceDefinition def : catalogue.all()) {
      if (def.statusCheckAllowed()) {
        servicesByUnit.computeIfAbsent(def.unit(), u -> new ArrayList<>()).add(def);
        unitByPath.put(UnitPaths.of(def.unit()), def.unit());
      }
    }
  }

  private void connectFailed() {
    if (!settled) {
      settled = true;
      publishChanged(servicesByUnit.keySet());
    }
    markDown();
  }

  /**
   * Two steps: every state from one ListUnitsByNames, published at once, then the timestamps and
   * PIDs of running units, which cost a call each, published as they change the views.
   */
  private Future<Void> readAll() {
    List<String> names = new ArrayList<>(servicesByUnit.keySet());
    if (names.isEmpty()) {
      return Future.succeededFuture(up());
    }
    long statesAsked = signalSeq;
    return systemd.readStates(names)
        .map(states -> {
          apply(states, statesAsked, true);
          up();
          publishChanged(servicesByUnit.keySet());
          return states;
        })
        // The details carry the states read in step one: a signal since then is newer than them.
        .compose(states -> systemd.readDetails(states).map(details -> {
          apply(details, statesAsked, false);
          publishChanged(servicesByUnit.keySet());
          return null;
        }));
  }

  private Void up() {
    settled = true;
    if (!busUp) {
      LOG.info("following {} units on D-Bus", servicesByUnit.size());
      busUp = true;
      vertx.eventBus().publish(Addresses.BUS_STATE, new JsonObject().put("connected", true));
    }
    return null;
  }

  /** Reads units whole (states and details), for a unit that appeared or a reloaded catalogue. */
  private Future<Void> read(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    long asked = signalSeq;
    return systemd.readUnits(names).map(snapshots -> {
      apply(snapshots, asked, false);
      return null;
    });
  }

  /**
   * Takes in what a read returned, keeping for each unit whatever a signal told us after the read
   * was asked for — the signal is newer. A states-only read keeps the details held when the state
   * is unchanged, and drops them when it changed (they describe the old state).
   */
  private void apply(List<UnitSnapshot> snapshots, long asked, boolean statesOnly) {
    Instant now = Instant.now();
    for (UnitSnapshot read : snapshots) {
      if (!servicesByUnit.containsKey(read.unit())) {
        continue;
      }
      UnitSnapshot held = units.get(read.unit());
      UnitSnapshot next;
      if (held != null && lastSignal.getOrDefault(read.unit(), -1L) > asked) {
        next = held.fillFrom(read);
      } else if (statesOnly && held != null && java.util.Objects.equals(held.activeState(), read.activeState())) {
        next = held.merge(read.properties());
      } else {
        next = read;
      }
      units.put(read.unit(), next);
      lastCheck.put(read.unit(), now);
    }
  }

  /** Bus gone: every status turns error at once, never a stale "active". */
  private void markDown() {
    if (!busUp) {
      return;
    }
    busUp = false;
    vertx.eventBus().publish(Addresses.BUS_STATE, new JsonObject().put("connected", false));
    publishChanged(servicesByUnit.keySet());
  }

  @Override
  public void propertiesChanged(String path, Map<String, Object> changed) {
    propertiesChanged(path, changed, System.nanoTime());
  }

  /** The receive time travels with the view as a header, for the push-latency meter. */
  @Override
  public void propertiesChanged(String path, Map<String, Object> changed, long received) {
    String unit = unitByPath.get(path);
    if (unit == null) {
      return;
    }
    lastSignal.put(unit, ++signalSeq);
    UnitSnapshot held = units.get(unit);
    UnitSnapshot next = held == null ? new UnitSnapshot(unit, path, changed) : held.merge(changed);
    units.put(unit, next);
    lastCheck.put(unit, Instant.now());
    if (!next.isLoaded() || next.loadState() == null) {
      // A unit we held as missing is emitting: it was added; read what we lack.
      probe(unit);
    }
    signalled.putIfAbsent(unit, received);
    if (!flushQueued) {
      flushQueued = true;
      context.runOnContext(v -> flushSignalled());
    }
  }

  /**
   * Publishes the units changed by the signals handled so far. Queued behind the signals already
   * handed to this context, it runs once the burst that one transition sends (the Unit and the
   * Service interface's signals, often each twice) has been applied: one view goes out per burst,
   * not one per signal, which for thousands of /ws clients is thousands of socket writes fewer. No
   * wait is added; the receive time of the burst's first signal travels with the view.
   */
  private void flushSignalled() {
    flushQueued = false;
    Map<String, Long> batch = new java.util.LinkedHashMap<>(signalled);
    signalled.clear();
    batch.forEach((unit, received) -> publishChanged(List.of(unit),
        new DeliveryOptions().addHeader(Addresses.SIGNAL_RECEIVED_NANOS, Long.toString(received))));
  }

  @Override
  public void unitNew(String unit, String path) {
    UnitSnapshot held = units.get(unit);
    if (servicesByUnit.containsKey(unit) && held != null && !held.isLoaded()) {
      probe(unit);
    }
  }

  @Override
  public void reloaded() {
    if (busUp) {
      readAll().onFailure(e -> LOG.warn("re-read after daemon-reload failed: {}", e.getMessage()));
    }
  }

  @Override
  public void disconnected(String reason) {
    markDown();
    bus.lost(reason + "; all statuses are error until it is back");
  }

  private void probe(String unit) {
    long now = System.currentTimeMillis();
    if (!busUp || probing.contains(unit) || now - probedAt.getOrDefault(unit, 0L) < PROBE_QUIET_MS) {
      return;
    }
    probing.add(unit);
    read(List.of(unit))
        .onComplete(ar -> {
          probing.remove(unit);
          probedAt.put(unit, System.currentTimeMillis());
          if (ar.succeeded()) {
            publishChanged(List.of(unit));
          }
        });
  }

  private void publishChanged(Iterable<String> changedUnits) {
    publishChanged(changedUnits, new DeliveryOptions());
  }

  private void publishChanged(Iterable<String> changedUnits, DeliveryOptions options) {
    for (String unit : changedUnits) {
      for (ServiceDefinition def : servicesByUnit.getOrDefault(unit, List.of())) {
        JsonObject view = view(def);
        JsonObject key = ServiceView.withoutCheckTime(view);
        if (!key.equals(published.get(def.name()))) {
          published.put(def.name(), key);
          vertx.eventBus().publish(Addresses.STATUS, view, options);
        }
      }
    }
  }

  private JsonObject view(ServiceDefinition def) {
    if (!def.statusCheckAllowed() || !settled) {
      return ServiceView.of(def, null, true, null);
    }
    return ServiceView.of(def, units.get(def.unit()), busUp, lastCheck.get(def.unit()));
  }

  /**
   * Puts a reloaded catalogue in force: units no longer listed are forgotten, new ones are read, and
   * a full snapshot goes out on {@code servicemanager.catalogue}.
   */
  public Future<Void> apply(ServiceCatalogue next) {
    catalogue = next;
    index();
    units.keySet().retainAll(servicesByUnit.keySet());
    lastSignal.keySet().retainAll(servicesByUnit.keySet());
    lastCheck.keySet().retainAll(servicesByUnit.keySet());
    published.clear();
    List<String> unread = servicesByUnit.keySet().stream().filter(u -> !units.containsKey(u)).toList();
    Future<Void> read = busUp ? read(unread).recover(e -> {
      LOG.warn("reading new units failed: {}", e.getMessage());
      return Future.succeededFuture();
    }) : Future.succeededFuture();
    return read.map(v -> {
      publishChanged(servicesByUnit.keySet());
      vertx.eventBus().publish(Addresses.CATALOGUE, snapshot());
      return null;
    });
  }

  private JsonObject snapshot() {
    JsonArray services = new JsonArray();
    for (ServiceDefinition def : catalogue.all()) {
      services.add(view(def));
    }
    return new JsonObject()
        .put("services", services)
        .put("dbus", busUp ? "connected" : "disconnected");
  }

  private void answerSnapshot(Message<JsonObject> request) {
    request.reply(snapshot());
  }
}
