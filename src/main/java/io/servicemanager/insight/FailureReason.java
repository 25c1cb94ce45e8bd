package io.servicemanager.insight;

import java.util.Optional;

/**
 * Why a service failed, from systemd's own properties, in plain words and as a stable machine code.
 * The code groups failures (statistics, the {@code reason} label of metrics) and never contains
 * free text: {@code exit-code:1}, {@code signal:KILL}, {@code core-dump:SEGV}, {@code oom-kill},
 * {@code timeout}, {@code start-limit-hit}, … or systemd's Result word for one not named here.
 *
 * @param code the machine code
 * @param words the same for a person: "exited with status 1", "killed by signal 9 (KILL)"
 */
public record FailureReason(String code, String words) {
  /** ExecMainCode: the si_code of the main process's end (waitid(2)). */
  public static final int CLD_EXITED = 1;
  public static final int CLD_KILLED = 2;
  public static final int CLD_DUMPED = 3;

  /**
   * @param result Service {@code Result} ("success", "exit-code", "signal", "core-dump", "timeout", …)
   * @param execMainCode {@code ExecMainCode}, or null when not known
   * @param execMainStatus {@code ExecMainStatus}: the exit status, or the signal number when killed
   * @param fromState the ActiveState the unit left: "activating" makes a timeout a start timeout,
   *     "deactivating" a stop timeout
   * @param timeoutSeconds the timeout that applied ({@code TimeoutStartUSec}/{@code TimeoutStopUSec}
   *     in seconds), or null when not known
   * @return empty for "success" or no result: nothing failed
   */
  public static Optional<FailureReason> of(String result, Integer execMainCode, Integer execMainStatus,
      String fromState, Long timeoutSeconds) {
    if (result == null || result.isEmpty() || result.equals("success")) {
      return Optional.empty();
    }
    return Optional.of(switch (result) {
      // ExecMainStatus is a signal number unless the process exited (ExecMainCode says which).
      case "exit-code" -> execMainCode != null && execMainCode == CLD_KILLED
          ? bySignal("signal", "killed by signal", execMainStatus)
          : execMainCode != null && execMainCode == CLD_DUMPED
          ? bySignal("core-dump", "dumped core on signal", execMainStatus)
          : execMainStatus == null
          ? new FailureReason("exit-code", "exited with a failure status")
          : new FailureReason("exit-code:" + execMainStatus, "exited with status " + execMainStatus);
      case "signal" -> bySignal("signal", "killed by signal", execMainStatus);
      case "core-dump" -> bySignal("core-dump", "dumped core on signal", execMainStatus);
      case "timeout" -> new FailureReason("timeout", timeoutWords(fromState, timeoutSeconds));
      case "start-limit-hit" -> new FailureReason("start-limit-hit", "restarted too often (start limit)");
      case "oom-kill" -> new FailureReason("oom-kill", "ran out of memory");
      case "watchdog" -> new FailureReason("watchdog", "stopped answering its watchdog");
      case "resources" -> new FailureReason("resources",
          "could not get what it needs to run (a missing file, directory or user?)");
      case "protocol" -> new FailureReason("protocol", "broke the service protocol (no PID file or READY=1?)");
      case "exec-condition" -> new FailureReason("exec-condition", "its ExecCondition= check said no");
      case "condition" -> new FailureReason("condition", "a start condition was not met");
      default -> new FailureReason(code(result), "failed (" + result + ")");
    });
  }

  /** {@link #of} for a result read without the exit details. */
  public static Optional<FailureReason> of(String result) {
    return of(result, null, null, null, null);
  }

  private static FailureReason bySignal(String kind, String verb, Integer signal) {
    if (signal == null) {
      return new FailureReason(kind, verb.replace(" by signal", "").replace(" on signal", ""));
    }
    String name = Signals.name(signal);
    return name == null
        ? new FailureReason(kind + ":" + signal, verb + " " + signal)
        : new FailureReason(kind + ":" + name, verb + " " + signal + " (" + name + ")");
  }

  private static String timeoutWords(String fromState, Long seconds) {
    String within = seconds == null ? "in time" : "within " + seconds + " s";
    if ("activating".equals(fromState)) {
      return "did not start " + within;
    }
    if ("deactivating".equals(fromState)) {
      return "did not stop " + within;
    }
    return seconds == null ? "timed out" : "timed out after " + seconds + " s";
  }

  /** A Result word systemd may add later, kept to a safe label alphabet. */
  private static String code(String result) {
    String cleaned = result.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
  }
}
