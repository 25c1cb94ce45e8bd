package io.servicemanager.status;

import io.servicemanager.Addresses;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.insight.FailureReason;
import io.servicemanager.insight.Gap;
import io.servicemanager.insight.Transition;
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
 *   <li>records every change of a visible service's state as a transition ({@link TransitionWatch}
 *       says which and why), handed to the {@link TransitionRecorder} after the view is published,
 *       so the push never waits for the disk; each is also published on {@code servicemanager.transition},
 *       and a failure soon after a reported start on {@code servicemanager.start.failed}. Bus loss
 *       opens a gap, the next full read ends it. Hears {@code servicemanager.operation.begun} and
 *       {@code servicemanager.operation} to tell an operation's changes from others.
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
  private final TransitionWatch watch = new TransitionWatch();
  private final RecentFacts recent = new RecentFacts();
  /** A bus-lost gap is open: the next full read ends it. */
  private boolean inGap;

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
    vertx.eventBus().consumer(Addresses.SNAPSHOT, this::answerSnapshot);
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        apply(ServiceCatalogue.fromJson(m.body()));
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION_BEGUN, m -> {
      JsonObject op = m.body();
      watch.begun(op.getString("unit"), op.getString("service"), op.getString("action"), op.getString("user"),
          Instant.now());
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> {
      JsonObject op = m.body();
      watch.ended(op.getString("unit"), op.getString("service"), op.getString("action"), op.getString("user"),
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
   * PIDs of running units, which cost a call each, published as they change the views.
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
          endGap();
          List<TransitionWatch.Observed> observed = observe(table.all());
          feed.up();
          feed.publishAll();
          record(observed);
          return states;
        })
        // The details carry the states read in step one: a signal since then is newer than them.
        .compose(states -> systemd.readDetails(states).map(details -> {
          table.read(details, statesAsked, false);
          feed.publishAll();
          return null;
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
      record(observe(names.stream().map(table::get).filter(java.util.Objects::nonNull).toList()));
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
        observe(burst.keySet().stream().map(table::get).filter(java.util.Objects::nonNull).toList());
    burst.forEach(feed::publishSignalled);
    // After the views went out: recording only buffers, and never holds up a push.
    record(observed);
  }

  /**
   * What changed on the units since their last transitions, taken into the views' recent facts: in
   * memory only, so it may run before a push.
   */
  private List<TransitionWatch.Observed> observe(java.util.Collection<TrackedUnit> units) {
    if (recorder == null) {
      return List.of();
    }
    Instant now = Instant.now();
    List<TransitionWatch.Observed> observed = new java.util.ArrayList<>();
    for (TrackedUnit tracked : units) {
      observed.addAll(watch.observe(tracked, now));
    }
    observed.forEach(o -> recent.transition(o.transition()));
    return observed;
  }

  /** Hands the transitions to the recorder (which only buffers) and announces them. */
  private void record(List<TransitionWatch.Observed> observed) {
    for (TransitionWatch.Observed o : observed) {
      if (o.transition().message() != null && o.transition().message().startsWith(START_TIMEOUT)) {
        // The timeout is configuration, never signalled: read it once, to say how long it waited.
        startTimeout(o.transition()).onComplete(ar -> record(ar.succeeded() ? ar.result() : o.transition(), o));
      } else {
        record(o.transition(), o);
      }
    }
  }

  private static final String START_TIMEOUT = FailureReason.of("timeout", null, null, "activating", null)
      .orElseThrow().words();

  private void record(Transition t, TransitionWatch.Observed o) {
    recorder.record(t).onFailure(e -> LOG.warn("transition of {} not recorded: {}", t.service(), e.getMessage()));
    vertx.eventBus().publish(Addresses.TRANSITION, t.toJson());
    if (o.failedAfter() != null) {
      vertx.eventBus().publish(Addresses.START_FAILED, startFailed(new TransitionWatch.Observed(t, o.failedAfter())));
    }
  }

  /** The start timeout's words with its length, read from systemd (an on-demand read, after a failure). */
  private Future<Transition> startTimeout(Transition t) {
    return systemd.readUnits(List.of(t.unit())).map(read -> {
      Long seconds = read.isEmpty() ? null : read.get(0).timeoutStartSeconds();
      return seconds == null ? t
          : t.failedWith(FailureReason.of("timeout", null, null, "activating", seconds).orElseThrow());
    });
  }

  private static JsonObject startFailed(TransitionWatch.Observed o) {
    TransitionWatch.Operation op = o.failedAfter();
    return new JsonObject()
        .put("service", o.transition().service())
        .put("action", op.action())
        .put("user", op.user())
        .put("started_at", ServiceView.iso(op.ended()))
        .put("failed_at", ServiceView.iso(o.transition().at()))
        .put("after_ms", java.time.Duration.between(op.ended(), o.transition().at()).toMillis())
        .put("reason", o.transition().reasonCode())
        .put("message", o.transition().reasonWords());
  }

  /** Bus lost: from now on nobody knows the states, until the next full read. */
  private void beginGap() {
    watch.forgetStates();
    if (transitions == null || inGap) {
      return;
    }
    inGap = true;
    transitions.recordGap(new Gap(Instant.now(), null, Gap.Kind.BUS_LOST))
        .onFailure(e -> LOG.warn("the bus loss could not be recorded as a gap: {}", e.getMessage()));
  }

  private void endGap() {
    if (transitions == null || !inGap) {
      return;
    }
    inGap = false;
    transitions.closeOpenGaps(Instant.now())
        .onFailure(e -> LOG.warn("the end of the bus loss could not be recorded: {}", e.getMessage()));
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
    beginGap();
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
