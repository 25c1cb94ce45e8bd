package io.servicemanager.systemd;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One job in flight, fed the signals of the connection that queued it: matches its JobRemoved by
 * object path, and holds the unit's changes signalled since a read was sent, so that the state at
 * JobRemoved needs no round trip after it.
 *
 * <p>Why the overlay is sound: each signal carries a property's value as of its change and one
 * connection delivers in order; systemd flushes a unit's pending change signals before it signals
 * the end of a job on it (dbus-job.c). So the read's answer, with the changes signalled between its
 * sending and JobRemoved laid over it, is the unit as the job left it — unless the unit object was
 * loaded anew (UnitNew, daemon-reload) or the connection lost meanwhile: then it must be read again.
 */
final class JobWatch {
  /** ActiveStates in which a freshly started service still counts as running. */
  private static final Set<String> RUNNING = Set.of("active", "activating", "reloading");

  final String unit;
  final String path;
  private String job;
  /** JobRemoved for this unit that came before the StartUnit reply named our job. */
  private final Map<String, String> early = new HashMap<>();
  private final Promise<String> removed = Promise.promise();
  private Map<String, Object> since;
  private boolean stale;
  private Promise<Void> settling;

  JobWatch(String unit) {
    this.unit = unit;
    this.path = UnitPaths.of(unit);
  }

  /** The call returned the job's path; completes with systemd's result word at its JobRemoved. */
  Future<String> queued(String jobPath) {
    job = jobPath;
    String result = early.remove(jobPath);
    early.clear();
    if (result != null) {
      removed.tryComplete(result);
    }
    return removed.future();
  }

  boolean ended() {
    return removed.future().isComplete();
  }

  /** A read of the unit is being sent now: changes from here on are laid over its answer. */
  void readSent() {
    since = new HashMap<>();
    stale = false;
  }

  /**
   * What to lay over the read's answer to get the state at JobRemoved; empty when no read was sent,
   * or it no longer describes the unit object, and the unit must be read again.
   */
  java.util.Optional<Map<String, Object>> overlay() {
    return since == null || stale ? java.util.Optional.empty() : java.util.Optional.of(Map.copyOf(since));
  }

  /** Ends once {@code timer} fires or the unit stops running, whichever comes first. */
  Future<Void> settle(Promise<Void> timer) {
    settling = timer;
    return timer.future().onComplete(v -> settling = null);
  }

  void jobRemoved(String jobPath, String unitName, String result) {
    if (!unit.equals(unitName)) {
      return;
    }
    if (job == null) {
      early.put(jobPath, result);
    } else if (job.equals(jobPath)) {
      removed.tryComplete(result);
    }
  }

  void changed(String unitPath, Map<String, Object> props) {
    if (!path.equals(unitPath)) {
      return;
    }
    if (since != null && !ended()) {
      since.putAll(props);
    }
    Object state = props.get(UnitSnapshot.ACTIVE_STATE);
    if (settling != null && state != null && !RUNNING.contains(state)) {
      settling.tryComplete();
    }
  }

  /** UnitNew for {@code unitPath}, or every unit after a daemon-reload ({@code null}). */
  void loadedAnew(String unitPath) {
    if ((unitPath == null || path.equals(unitPath)) && !ended()) {
      stale = true;
    }
  }

  /** The connection is gone: this job's JobRemoved will never come on it. */
  void lost() {
    stale = true;
    removed.tryFail("D-Bus connection lost before the job finished");
    if (settling != null) {
      settling.tryComplete();
    }
  }
}
