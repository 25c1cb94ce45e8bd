package io.servicemanager.status;

import io.servicemanager.Addresses;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.insight.TransitionRecorder;
import io.servicemanager.insight.TransitionStore;
import io.servicemanager.systemd.BusKeeper;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 *       "connected"|"disconnected"}};
 *   <li>records every change of a visible service's state as a transition ({@link TransitionLog}),
 *       after the view is published, so the push never waits for the disk. Hears
 *       {@code servicemanager.operation.begun} and {@code servicemanager.operation} to tell an
 *       operation's changes from others.
 * </ul>
 *
 * <p>Never polls: one read after connecting, after each daemon-reload, and for a missing unit that
 * systemd announces as new; otherwise it lives on PropertiesChanged. Units of services whose status
 * is hidden are not even read, so nothing about them can leak.
 */
public final class StatusVerticle extends VerticleBase implements SystemdEvents {
  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  private final SystemdClient systemd;
  private ServiceCatalogue catalogue;
  private final UnitTable table = new UnitTable();
  private StatusFeed feed;
  private BusKeeper bus;
  private final TransitionStore transitions;
  private final TransitionRecorder recorder;
  private final RecentFacts recent = new RecentFacts();
  private TransitionLog log;

  /** Without insight: nothing is recorded (tests of the feed alone). */
  public StatusVerticle(SystemdClient systemd, ServiceCatalogue catalogue) {
    this(systemd, catalogue, null, null);
  }

  public StatusVerticle(SystemdClient systemd, ServiceCatalogue catalogue, TransitionStore transitions,
      TransitionRecorder recorder) {
    this.systemd = systemd;
    this.catalogue = catalogue;
    this.transitions = transitions;
    this.recorder = recorder;
  }

  @Override
  public Future<?> start() {
    table.index(catalogue);
    feed = new StatusFeed(vertx.eventBus(), table, recent);
    log = new TransitionLog(vertx.eventBus(), systemd, transitions, recorder, recent);
    vertx.eventBus().consumer(Addresses.SNAPSHOT, this::answerSnapshot);
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        apply(ServiceCatalogue.fromJson(m.body()));
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION_BEGUN, m -> {
      JsonObject op = m.body();
      log.watch().begun(op.getString("unit"), op.getString("service"), op.getString("action"), op.getString("user"),
          Instant.now());
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> {
      JsonObject op = m.body();
      log.watch().ended(op.getString("unit"), op.getString("service"), op.getString("action"), op.getString("user"),
          op.getString("result"), Instant.now());
      recent.operation(op);
      feed.publish(op.getString("unit"));
    });
    bus = new BusKeeper(vertx, systemd, this, "status", this::readAll, feed::attemptFailed);
    bus.start();
    if (transitions == null) {
      return Future.succeededFuture();
    }
    // The views' last failure and operation survive a restart of Service Manager.
    return Future.all(transitions.lastFailures(), transitions.lastOperations())
        .onSuccess(all -> recent.seed(all.resultAt(0), all.resultAt(1)))
        .onFailure(e -> LOG.warn("the views' last failures and operations could not be read: {}", e.getMessage()))
        .otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    return bus.stop();
  }

  /**
   * Two steps: every state from one ListUnitsByNames, published at once, then the timestamps and
   * PIDs of running units, which cost a call each, published chunk by chunk in the dashboard's order
   * (failed first, then catalogue order) as their reads come in: the first screen of views is
   * complete before the tail of thousands.
   */
  private Future<Void> readAll() {
    List<String> names = table.names();
    if (names.isEmpty()) {
      feed.up();
      return Future.succeededFuture();
    }
    long statesAsked = table.signalSeq();
    return systemd.readStates(names)
        .map(states -> {
          table.read(states, statesAsked, true);
          log.endGap();
          List<TransitionWatch.Observed> observed = log.observe(table.all());
          feed.up();
          feed.publishAll();
          log.record(observed);
          return states;
        })
        // The details carry the states read in step one: a signal since then is newer than them.
        .compose(states -> systemd.readDetails(DetailOrder.visibleFirst(states), details -> {
          table.read(details, statesAsked, false);
          details.forEach(d -> feed.publish(d.unit()));
        }));
  }

  /** Reads units whole (states and details), for a unit that appeared or a reloaded catalogue. */
  private Future<Void> read(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    long asked = table.signalSeq();
    return systemd.readUnits(names).map(snapshots -> {
      table.read(snapshots, asked, false);
      log.record(log.observe(names.stream().map(table::get).filter(java.util.Objects::nonNull).toList()));
      return null;
    });
  }

  @Override
  public void propertiesChanged(String path, Map<String, Object> changed) {
    propertiesChanged(path, changed, System.nanoTime());
  }

  @Override
  public void propertiesChanged(String path, Map<String, Object> changed, long received) {
    TrackedUnit tracked = table.signalled(path, changed);
    if (tracked == null) {
      return;
    }
    if (tracked.lacksState()) {
      probe(tracked);
    }
    if (table.addToBurst(tracked.unit(), received)) {
      context.runOnContext(v -> flushBurst());
    }
  }

  /**
   * Publishes the units changed by the signals handled so far. Queued behind the signals already
   * handed to this context, it runs once the burst that one transition sends (the Unit and the
   * Service interface's signals, often each twice) has been applied: one view goes out per burst,
   * not one per signal, which for thousands of /ws clients is thousands of socket writes fewer. No
   * wait is added; the receive time of the burst's first signal travels with the view.
   */
  private void flushBurst() {
    Map<String, Long> burst = table.takeBurst();
    List<TransitionWatch.Observed> observed =
        log.observe(burst.keySet().stream().map(table::get).filter(java.util.Objects::nonNull).toList());
    burst.forEach(feed::publishSignalled);
    // After the views went out: recording only buffers, and never holds up a push.
    log.record(observed);
  }

  @Override
  public void unitNew(String unit, String path) {
    TrackedUnit tracked = table.get(unit);
    if (tracked != null && tracked.heldMissing()) {
      probe(tracked);
    }
  }

  @Override
  public void reloaded() {
    if (feed.busUp()) {
      readAll().onFailure(e -> LOG.warn("re-read after daemon-reload failed: {}", e.getMessage()));
    }
  }

  @Override
  public void disconnected(String reason) {
    feed.down();
    log.beginGap();
    bus.lost(reason + "; all statuses are error until it is back");
  }

  private void probe(TrackedUnit tracked) {
    if (!feed.busUp() || !tracked.mayProbe(System.currentTimeMillis())) {
      return;
    }
    tracked.probeStarted();
    read(List.of(tracked.unit()))
        .onComplete(ar -> {
          tracked.probeEnded(System.currentTimeMillis());
          if (ar.succeeded()) {
            feed.publish(tracked.unit());
          }
        });
  }

  /**
   * Puts a reloaded catalogue in force: units no longer listed are forgotten, new ones are read, and
   * a full snapshot goes out on {@code servicemanager.catalogue}.
   */
  public Future<Void> apply(ServiceCatalogue next) {
    catalogue = next;
    table.index(next);
    Future<Void> read = feed.busUp() ? read(table.unread()).recover(e -> {
      LOG.warn("reading new units failed: {}", e.getMessage());
      return Future.succeededFuture();
    }) : Future.succeededFuture();
    return read.map(v -> {
      feed.publishAll();
      vertx.eventBus().publish(Addresses.CATALOGUE, feed.snapshot(catalogue));
      return null;
    });
  }

  private void answerSnapshot(Message<JsonObject> request) {
    request.reply(feed.snapshot(catalogue));
  }
}
