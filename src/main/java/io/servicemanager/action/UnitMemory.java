package io.servicemanager.action;

import io.servicemanager.systemd.UnitSnapshot;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The units the action connection has read, kept current by that connection's PropertiesChanged
 * signals, so that an action is judged without another round trip to systemd.
 *
 * <p>Sound because every watched property is one systemd signals whenever it changes, and
 * {@code Type} is constant while a unit stays loaded. A unit loaded anew (UnitNew), a daemon-reload
 * or a lost connection forgets what was known; the next action reads the unit again.
 *
 * <p>A read takes a while to answer: signals that arrive in between are laid over its answer. Each
 * signal carries a property's value as of its change and signals arrive in order, so the last one
 * seen for a property is never older than the read.
 */
final class UnitMemory {
  private final Map<String, UnitSnapshot> known = new HashMap<>();
  private final Map<String, Reading> reading = new HashMap<>();

  private static final class Reading {
    final Map<String, Object> since = new HashMap<>();
    boolean stale;
  }

  /** What is known of the unit at {@code path}, current as of the last signal handled. */
  Optional<UnitSnapshot> known(String path) {
    return Optional.ofNullable(known.get(path));
  }

  /** A read of the unit at {@code path} is being sent now. */
  void readSent(String path) {
    reading.put(path, new Reading());
  }

  /**
   * The read's answer, with the changes signalled since it was sent laid over it; remembered
   * unless the unit was loaded anew in the meantime.
   */
  UnitSnapshot readAnswered(String path, UnitSnapshot answer) {
    Reading r = reading.remove(path);
    if (r == null) {
      return answer;
    }
    UnitSnapshot current = answer.merge(r.since);
    if (!r.stale) {
      known.put(path, current);
    }
    return current;
  }

  void readFailed(String path) {
    reading.remove(path);
  }

  /** Whether the read under way for {@code path} was overtaken by the unit being loaded anew. */
  boolean readStale(String path) {
    Reading r = reading.get(path);
    return r != null && r.stale;
  }

  /** The changes signalled since the read under way for {@code path} was sent. */
  Map<String, Object> changesSinceRead(String path) {
    Reading r = reading.get(path);
    return r == null ? Map.of() : Map.copyOf(r.since);
  }

  void changed(String path, Map<String, Object> props) {
    known.computeIfPresent(path, (p, snapshot) -> snapshot.merge(props));
    Reading r = reading.get(path);
    if (r != null) {
      r.since.putAll(props);
    }
  }

  /** UnitNew: a new unit object (its file may have changed); nothing held about it still holds. */
  void loadedAnew(String path) {
    known.remove(path);
    Reading r = reading.get(path);
    if (r != null) {
      r.stale = true;
    }
  }

  /** A daemon-reload or a lost connection: nothing held still holds. */
  void forgetAll() {
    known.clear();
    reading.values().forEach(r -> r.stale = true);
  }

  /** Forgets units no longer configured. */
  void retain(Collection<String> paths) {
    known.keySet().retainAll(paths);
  }

  int size() {
    return known.size();
  }
}
