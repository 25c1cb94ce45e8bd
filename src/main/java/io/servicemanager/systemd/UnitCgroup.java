package io.servicemanager.systemd;

/**
 * A unit's control group and what systemd accounts in it, read on demand (never on a timer, DESIGN §2).
 * A figure systemd does not account (accounting off, unit not running) is null.
 *
 * @param controlGroup the unit's {@code ControlGroup}; for a unit not running, the one it would get
 *     (its slice's group plus its name), which is what its past journal entries carry as
 *     {@code _SYSTEMD_CGROUP}; empty when not even its slice has one
 * @param memoryCurrent {@code MemoryCurrent}, bytes
 * @param cpuUsageNSec {@code CPUUsageNSec}, nanoseconds
 * @param tasksCurrent {@code TasksCurrent}
 */
public record UnitCgroup(String controlGroup, Long memoryCurrent, Long cpuUsageNSec, Long tasksCurrent) {
  static final String CONTROL_GROUP = "ControlGroup";
  static final String SLICE = "Slice";
  static final String MEMORY_CURRENT = "MemoryCurrent";
  static final String CPU_USAGE_NSEC = "CPUUsageNSec";
  static final String TASKS_CURRENT = "TasksCurrent";
  /** systemd's "[not set]": UINT64_MAX, which dbus-java hands over as -1. */
  private static final long UNSET = -1L;

  static Long figure(Object value) {
    return value instanceof Long n && n != UNSET ? n : null;
  }
}
