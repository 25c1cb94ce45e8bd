package io.servicemanager.journal;

import io.servicemanager.systemd.UnitCgroup.MainProcess;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which journal entries are a unit's (DESIGN §6). First those journald gave the unit's control group.
 * journald reads a line's cgroup from {@code /proc} when it handles the line, so a process that
 * printed and exited before that (a service failing at once, the lines that explain why) leaves
 * entries with no {@code _SYSTEMD_CGROUP} and no unit, only its {@code _PID}. Those of the unit's
 * newest main process are the unit's too, while that pid was the unit's: from the process's start
 * until {@link #LATE_MICROS} after its exit.
 */
record UnitMatch(String controlGroup, MainProcess main) {
  /** How late journald may handle the lines of a process that has exited, and they still count. */
  static final long LATE_MICROS = 30_000_000L;
  static final String CGROUP = "_SYSTEMD_CGROUP";
  static final String PID = "_PID";

  UnitMatch {
    main = main == null ? MainProcess.NONE : main;
  }

  /** journalctl's match: the group, or (a disjunction, {@code +}) the main process's pid. */
  List<String> terms() {
    List<String> terms = new ArrayList<>(List.of(CGROUP + "=" + controlGroup));
    if (main.pid() > 0) {
      terms.addAll(List.of("+", PID + "=" + main.pid()));
    }
    return terms;
  }

  /** Whether a raw entry (journalctl's JSON) that {@link #terms()} matched is really the unit's. */
  boolean accepts(JsonObject raw) {
    if (raw.getValue(CGROUP) instanceof String group) {
      return group.equals(controlGroup);
    }
    long pid = JournalEntry.number(raw.getValue(PID), -1);
    long at = JournalEntry.number(raw.getValue("__REALTIME_TIMESTAMP"), -1);
    return main.pid() > 0 && pid == main.pid() && at >= main.startedMicros()
        && (!main.exited() || at <= main.exitedMicros() + LATE_MICROS);
  }
}
