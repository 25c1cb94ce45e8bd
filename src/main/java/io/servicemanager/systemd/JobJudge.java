package io.servicemanager.systemd;

import java.util.Set;

/**
 * Judges a finished job by systemd's job result and by the unit's state afterwards: a JobRemoved
 * "done" is not success when the unit has failed by then (a {@code Type=simple} service that exits
 * 1 ends its start job "done"). Pure; the job's timing is added by {@link Jobs}.
 */
final class JobJudge {
  /** Job results systemd reports that we pass through as they are. */
  private static final Set<String> FAILURES = Set.of("failed", "dependency", "canceled", "timeout");
  /** Service types whose start job ends before the program has shown it can run. */
  private static final Set<String> STARTED_BLIND = Set.of("simple", "exec", "idle");

  private JobJudge() {}

  /** The verdict from the job result and the state read right after it. */
  static JobOutcome judge(Action action, String jobResult, UnitSnapshot after) {
    String reason = reason(after);
    if (FAILURES.contains(jobResult)) {
      return outcome(jobResult, after, action.word() + " " + jobResult + describe(reason));
    }
    if (!"done".equals(jobResult)) {
      // "skipped" or an unknown word: systemd did not do what was asked.
      return outcome("failed", after, action.word() + " " + jobResult + describe(reason));
    }
    if (action.startsUnit() && failedAfterStart(after)) {
      return outcome("failed", after, action.word() + " ran, but the service " + after.activeState() + describe(reason));
    }
    return outcome("done", after, action.word() + " done");
  }

  /**
   * Whether a start/restart that ended "done" still needs watching: the program may yet exit, and
   * systemd could not have known when it answered.
   */
  static boolean needsSettle(Action action, UnitSnapshot after) {
    return action.startsUnit() && STARTED_BLIND.contains(after.type())
        && ("active".equals(after.activeState()) || "activating".equals(after.activeState()));
  }

  /** After start or restart: anything but running (or a oneshot that ended well) is a failure. */
  static boolean failedAfterStart(UnitSnapshot after) {
    String active = after.activeState();
    if ("failed".equals(active)) {
      return true;
    }
    if ("inactive".equals(active) || "deactivating".equals(active)) {
      return after.result() != null && !"success".equals(after.result());
    }
    return false;
  }

  private static JobOutcome outcome(String result, UnitSnapshot after, String message) {
    return new JobOutcome(result, after.result(), exitStatus(after), message, after, null, 0);
  }

  private static String reason(UnitSnapshot after) {
    String result = after.result();
    if (result == null || "success".equals(result)) {
      return "";
    }
    return switch (result) {
      case "exit-code" -> "exited with status " + after.execMainStatus();
      case "signal" -> "killed by signal " + after.execMainStatus();
      case "core-dump" -> "dumped core (signal " + after.execMainStatus() + ")";
      case "timeout" -> "timed out";
      case "start-limit-hit" -> "started too often; systemd's start limit was hit";
      case "resources" -> "could not get its resources (missing binary, user or directory?)";
      default -> result;
    };
  }

  private static String describe(String reason) {
    return reason.isEmpty() ? "" : ": " + reason;
  }

  private static Long exitStatus(UnitSnapshot after) {
    return after.properties().containsKey(UnitSnapshot.EXEC_MAIN_STATUS) ? after.execMainStatus() : null;
  }
}
