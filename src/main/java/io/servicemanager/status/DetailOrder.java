package io.servicemanager.status;

import io.servicemanager.systemd.UnitSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The order in which units' details are read: the order the dashboard shows them in. Past a few
 * services it lists failed ones first, then the rest in catalogue order (webroot/finder.js), so a
 * failed unit at the end of a catalogue of thousands is on the first screen and is read first.
 */
final class DetailOrder {
  private DetailOrder() {}

  /** Failed units first, each group in the order given. */
  static List<UnitSnapshot> visibleFirst(List<UnitSnapshot> states) {
    List<UnitSnapshot> ordered = new ArrayList<>(states.size());
    for (UnitSnapshot s : states) {
      if ("failed".equals(s.activeState())) {
        ordered.add(s);
      }
    }
    if (ordered.isEmpty()) {
      return states;
    }
    for (UnitSnapshot s : states) {
      if (!"failed".equals(s.activeState())) {
        ordered.add(s);
      }
    }
    return ordered;
  }
}
