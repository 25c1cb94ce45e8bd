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
 * @param mainProcess the service's newest main process, for its journal lines that journald could not
 *     give a control group (DESIGN §6)
 */
public record UnitCgroup(String controlGroup, Long memoryCurrent, Long cpuUsageNSec, Long tasksCurrent,
    MainProcess mainProcess) {
  static final String CONTROL_GROUP = "ControlGroup";
  static final String SLICE = "Slice";
  static final String MEMORY_CURRENT = "MemoryCurrent";
  static final String CPU_USAGE_NSEC = "CPUUsageNSec";
  static final String TASKS_CURRENT = "TasksCurrent";
  static final String EXEC_MAIN_PID = "ExecMainPID";
  static final String EXEC_MAIN_START = "ExecMainStartTimestamp";
  static final String EXEC_MAIN_EXIT = "ExecMainExitTimestamp";
  /** systemd's "[not set]": UINT64_MAX, which dbus-java hands over as -1. */
  private static final long UNSET = -1L;

  static Long figure(Object value) {
    return value instanceof Long n && n != UNSET ? n : null;
  }

  static long positive(Object value) {
    return value instanceof Long n && n > 0 ? n : 0;
  }

  /**
   * {@code ExecMainPID}, {@code ExecMainStartTimestamp} and {@code ExecMainExitTimestamp} (µs since
   * the epoch; 0 when not known). systemd keeps them after the process has ended, until the next start.
   */
  public record MainProcess(long pid, long startedMicros, long exitedMicros) {
    public static final MainProcess NONE = new MainProcess(0, 0, 0);

    /** Whether this process has ended (its exit is not one of an earlier run). */
    public boolean exited() {
      return exitedMicros > 0 && exitedMicros >= startedMicros;
    }
  }
}
