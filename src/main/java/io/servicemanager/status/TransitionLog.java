package io.servicemanager.status;

import io.servicemanager.Addresses;
import io.servicemanager.insight.FailureReason;
import io.servicemanager.insight.Gap;
import io.servicemanager.insight.Transition;
import io.servicemanager.insight.TransitionRecorder;
import io.servicemanager.insight.TransitionStore;
import io.servicemanager.systemd.SystemdClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status verticle's record of transitions: what {@link TransitionWatch} sees in the units after
 * each burst goes into the views' recent facts at once, and to the {@link TransitionRecorder} (which
 * only buffers) after the push; each is published on {@code servicemanager.transition}, and a failure
 * soon after a reported start on {@code servicemanager.start.failed}. Bus loss opens a gap, the next
 * full read ends it. Without a store (tests of the feed alone) nothing is recorded.
 */
final class TransitionLog {
  private static final Logger LOG = LoggerFactory.getLogger(TransitionLog.class);

  private final EventBus bus;
  private final SystemdClient systemd;
  private final TransitionStore transitions;
  private final TransitionRecorder recorder;
  private final RecentFacts recent;
  private final TransitionWatch watch = new TransitionWatch();
  /** A bus-lost gap is open: the next full read ends it. */
  private boolean inGap;

  TransitionLog(EventBus bus, SystemdClient systemd, TransitionStore transitions, TransitionRecorder recorder,
      RecentFacts recent) {
    this.bus = bus;
    this.systemd = systemd;
    this.transitions = transitions;
    this.recorder = recorder;
    this.recent = recent;
  }

  /** Told of operations as they begin and end, to tell their changes from others. */
  TransitionWatch watch() {
    return watch;
  }

  /**
   * What changed on the units since their last transitions, taken into the views' recent facts: in
   * memory only, so it may run before a push.
   */
  List<TransitionWatch.Observed> observe(java.util.Collection<TrackedUnit> units) {
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
  void record(List<TransitionWatch.Observed> observed) {
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
    bus.publish(Addresses.TRANSITION, t.toJson());
    if (o.failedAfter() != null) {
      bus.publish(Addresses.START_FAILED, startFailed(new TransitionWatch.Observed(t, o.failedAfter())));
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
  void beginGap() {
    watch.forgetStates();
    if (transitions == null || inGap) {
      return;
    }
    inGap = true;
    transitions.recordGap(new Gap(Instant.now(), null, Gap.Kind.BUS_LOST))
        .onFailure(e -> LOG.warn("the bus loss could not be recorded as a gap: {}", e.getMessage()));
  }

  void endGap() {
    if (transitions == null || !inGap) {
      return;
    }
    inGap = false;
    transitions.closeOpenGaps(Instant.now())
        .onFailure(e -> LOG.warn("the end of the bus loss could not be recorded: {}", e.getMessage()));
  }
}
