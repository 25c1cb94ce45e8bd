package io.servicemanager.status;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything held about one followed unit: the visible services on it, what systemd last said of
 * it, and when. Mutable, and touched only on the status verticle's context.
 */
final class TrackedUnit {
  /** A read of a missing unit makes systemd announce it again; one probe per second breaks the echo. */
  static final long PROBE_QUIET_MS = 1_000;

  private final String unit;
  private final String path;
  private List<ServiceDefinition> services;
  private UnitSnapshot snapshot;
  /** The table's signal sequence number at this unit's last signal; -1 before any. */
  private long lastSignal = -1;
  private Instant lastCheck;
  /** Service name → the view last published for it, without its check time. */
  private final Map<String, JsonObject> published = new HashMap<>();
  private long probedAtMillis;
  private boolean probing;

  TrackedUnit(String unit, String path, List<ServiceDefinition> services) {
    this.unit = unit;
    this.path = path;
    this.services = List.copyOf(services);
  }

  String unit() {
    return unit;
  }

  String path() {
    return path;
  }

  List<ServiceDefinition> services() {
    return services;
  }

  /** A reloaded catalogue: the unit's services may differ, and every view is to be sent again. */
  void reindexed(List<ServiceDefinition> next) {
    services = List.copyOf(next);
    published.clear();
  }

  /** Null until the first read or signal. */
  UnitSnapshot snapshot() {
    return snapshot;
  }

  Instant lastCheck() {
    return lastCheck;
  }

  /**
   * Takes in what a read returned, keeping whatever a signal told us after the read was asked for
   * (sequence {@code asked}) — the signal is newer. A states-only read keeps the details held when
   * the state is unchanged, and drops them when it changed (they describe the old state).
   */
  void read(UnitSnapshot read, long asked, boolean statesOnly, Instant now) {
    if (snapshot != null && lastSignal > asked) {
      snapshot = snapshot.fillFrom(read);
    } else if (statesOnly && snapshot != null && Objects.equals(snapshot.activeState(), read.activeState())) {
      snapshot = snapshot.merge(read.properties());
    } else {
      snapshot = read;
    }
    lastCheck = now;
  }

  /** Applies a PropertiesChanged that the table numbered {@code seq}. */
  void signalled(Map<String, Object> changed, long seq, Instant now) {
    lastSignal = seq;
    snapshot = snapshot == null ? new UnitSnapshot(unit, path, changed) : snapshot.merge(changed);
    lastCheck = now;
  }

  /** After a signal: a unit held as missing (or of unknown load state) is emitting, so it was added. */
  boolean lacksState() {
    return !snapshot.isLoaded() || snapshot.loadState() == null;
  }

  /** Read and found missing: systemd announcing it as new means it may exist now. */
  boolean heldMissing() {
    return snapshot != null && !snapshot.isLoaded();
  }

  boolean mayProbe(long nowMillis) {
    return !probing && nowMillis - probedAtMillis >= PROBE_QUIET_MS;
  }

  void probeStarted() {
    probing = true;
  }

  void probeEnded(long nowMillis) {
    probing = false;
    probedAtMillis = nowMillis;
  }

  /**
   * Records {@code view} as the one a client last saw for {@code service}, unless nothing but its
   * check time changed; true when it is news to publish.
   */
  boolean changes(String service, JsonObject view) {
    JsonObject key = ServiceView.withoutCheckTime(view);
    if (key.equals(published.get(service))) {
      return false;
    }
    published.put(service, key);
    return true;
  }
}
