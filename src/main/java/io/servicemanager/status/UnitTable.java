package io.servicemanager.status;

import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitPaths;
import io.servicemanager.systemd.UnitSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The units followed, one {@link TrackedUnit} each, in catalogue order and findable by object path;
 * and the units a burst of signals changed, not yet published. Units of hidden services are never
 * tracked. Touched only on the status verticle's context.
 */
final class UnitTable {
  private final Map<String, TrackedUnit> byUnit = new LinkedHashMap<>();
  private final Map<String, TrackedUnit> byPath = new HashMap<>();
  /** Numbers signals, so that a read can tell whether a signal came after it was asked for. */
  private long signalSeq;
  /** Unit → receive time of the first signal of the pending burst, in the order units signalled. */
  private final Map<String, Long> burst = new LinkedHashMap<>();

  /**
   * Follows the visible services of {@code catalogue}: a unit still listed keeps what is held about
   * it (its published views aside), a unit no longer listed is forgotten.
   */
  void index(ServiceCatalogue catalogue) {
    Map<String, List<ServiceDefinition>> services = new LinkedHashMap<>();
    for (ServiceDefinition def : catalogue.all()) {
      if (def.statusCheckAllowed()) {
        services.computeIfAbsent(def.unit(), u -> new ArrayList<>()).add(def);
      }
    }
    Map<String, TrackedUnit> held = new HashMap<>(byUnit);
    byUnit.clear();
    byPath.clear();
    services.forEach((unit, defs) -> {
      TrackedUnit tracked = held.get(unit);
      if (tracked == null) {
        tracked = new TrackedUnit(unit, UnitPaths.of(unit), defs);
      } else {
        tracked.reindexed(defs);
      }
      byUnit.put(unit, tracked);
      byPath.put(tracked.path(), tracked);
    });
  }

  Collection<TrackedUnit> all() {
    return byUnit.values();
  }

  List<String> names() {
    return List.copyOf(byUnit.keySet());
  }

  /** Null for a unit not followed. */
  TrackedUnit get(String unit) {
    return byUnit.get(unit);
  }

  /** Units followed but not read or signalled yet. */
  List<String> unread() {
    return byUnit.values().stream().filter(t -> t.snapshot() == null).map(TrackedUnit::unit).toList();
  }

  /** The mark a read takes when asked for: signals numbered above it are newer than the read. */
  long signalSeq() {
    return signalSeq;
  }

  /** Takes in a read asked for at {@link #signalSeq()} {@code asked}; units not followed are passed over. */
  void read(List<UnitSnapshot> snapshots, long asked, boolean statesOnly) {
    Instant now = Instant.now();
    for (UnitSnapshot snapshot : snapshots) {
      TrackedUnit tracked = byUnit.get(snapshot.unit());
      if (tracked != null) {
        tracked.read(snapshot, asked, statesOnly, now);
      }
    }
  }

  /** Applies a PropertiesChanged on {@code path}; the unit it changed, or null when not followed. */
  TrackedUnit signalled(String path, Map<String, Object> changed) {
    TrackedUnit tracked = byPath.get(path);
    if (tracked != null) {
      tracked.signalled(changed, ++signalSeq, Instant.now());
    }
    return tracked;
  }

  /**
   * Notes that a signal received at {@code receivedNanos} changed {@code unit}; true when it opens
   * a burst, so the caller is to queue one flush.
   */
  boolean addToBurst(String unit, long receivedNanos) {
    boolean opens = burst.isEmpty();
    burst.putIfAbsent(unit, receivedNanos);
    return opens;
  }

  /** Ends the burst: its units, each with its first signal's receive time, in signal order. */
  Map<String, Long> takeBurst() {
    Map<String, Long> taken = new LinkedHashMap<>(burst);
    burst.clear();
    return taken;
  }
}
