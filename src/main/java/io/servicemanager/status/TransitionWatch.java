package io.servicemanager.status;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.FailureReason;
import io.servicemanager.insight.Transition;
import io.servicemanager.insight.Transition.Cause;
import io.servicemanager.systemd.UnitSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides when a followed unit's state has changed enough to be a transition (DESIGN §3), and who
 * caused it: an operation running on the unit ({@code operation}, with its user), systemd restarting
 * it on its own ({@code systemd}: every step out of Restart='s wait back up, or into the start
 * limit), else someone
 * or something outside ({@code external}: a shell, a crash). Touched only on the status verticle's
 * context; knows nothing of the disk.
 */
final class TransitionWatch {
  /**
   * systemd sends JobRemoved at once but PropertiesChanged on its next loop iteration, on another
   * connection: a change seen this soon after an operation ended is still that operation's.
   */
  static final Duration OPERATION_GRACE = Duration.ofMillis(500);
  /** A failure this soon after a start was reported done is followed up to the people who see it. */
  static final Duration FOLLOW_UP = Duration.ofMinutes(1);
  static final String AUTO_RESTART = "auto-restart";

  /** An operation on a unit: running while {@code ended} is null. */
  record Operation(String service, String action, String user, Instant begun, Instant ended, String result) {
    boolean reportedStarted() {
      return ended != null && "done".equals(result) && (action.equals("start") || action.equals("restart"));
    }
  }

  /**
   * What was last recorded of a unit, and why. {@code previous} is the state before it (for a
   * timeout, whether the unit was starting or stopping); {@code restarting} holds from the moment
   * systemd leaves Restart='s wait until the unit is up or failed, so every step of its restart is
   * systemd's.
   */
  private record Seen(String activeState, String subState, String previous, Cause cause, boolean restarting,
      boolean startedAgain) {}

  /** A transition to record, and the started operation it follows up when it failed soon after. */
  record Observed(Transition transition, Operation failedAfter) {}

  private final Map<String, Seen> seen = new HashMap<>();
  private final Map<String, Operation> operations = new HashMap<>();

  /** After a gap (bus lost): the next state of every unit is a first sight again, from unknown. */
  void forgetStates() {
    seen.clear();
  }

  void begun(String unit, String service, String action, String user, Instant at) {
    operations.put(unit, new Operation(service, action, user, at, null, null));
  }

  void ended(String unit, String service, String action, String user, String result, Instant at) {
    Operation running = operations.get(unit);
    Instant begun = running == null ? at : running.begun();
    operations.put(unit, new Operation(service, action, user, begun, at, result));
  }

  /**
   * The transitions {@code tracked}'s state makes since the last recorded one, one per visible
   * service on the unit; empty when nothing that counts changed.
   */
  List<Observed> observe(TrackedUnit tracked, Instant now) {
    UnitSnapshot s = tracked.snapshot();
    if (s == null || !s.isLoaded() || s.activeState() == null) {
      return List.of();
    }
    Seen before = seen.get(tracked.unit());
    if (before != null && !changed(before, s)) {
      return List.of();
    }
    Operation op = operationAt(tracked.unit(), now);
    String from = before == null ? null : before.activeState();
    boolean leftWait = before != null && AUTO_RESTART.equals(before.subState()) && !AUTO_RESTART.equals(s.subState());
    boolean restarting = op == null && before != null && (leftWait || before.restarting())
        && !ServiceView.ACTIVE.equals(s.activeState()) && !ServiceView.FAILED.equals(s.activeState());
    Cause cause = op != null ? Cause.OPERATION
        : before != null && (leftWait || before.restarting()) ? Cause.SYSTEMD : Cause.EXTERNAL;
    // Restart='s start shows as activating or active; straight to failed without one, it was refused.
    boolean startedAgain = restarting && (before.startedAgain() || !leftWait && !AUTO_RESTART.equals(s.subState())
        && ServiceView.ACTIVATING.equals(s.activeState()));
    seen.put(tracked.unit(), new Seen(s.activeState(), s.subState(), from, cause, restarting, startedAgain));
    boolean intoFailed = ServiceView.FAILED.equals(s.activeState()) && !ServiceView.FAILED.equals(from);
    boolean restartRefused = intoFailed && op == null
        && (leftWait || before != null && before.restarting() && !before.startedAgain());
    // systemd 252 may show a crash as failed, then waiting to restart: one failure, not two.
    boolean failure = from != null && (intoFailed || AUTO_RESTART.equals(s.subState())
        && !ServiceView.FAILED.equals(from) && !AUTO_RESTART.equals(before.subState()));
    boolean ended = failure || ServiceView.INACTIVE.equals(s.activeState()) || ServiceView.FAILED.equals(s.activeState());
    String exitCode = ended ? exitCode(s.execMainCode()) : null;
    Long exitStatus = "exited".equals(exitCode) ? s.execMainStatus() : null;
    Integer signal = exitCode != null && !"exited".equals(exitCode) ? (int) s.execMainStatus() : null;
    FailureReason reason = failure ? reason(before, s, restartRefused) : null;
    Operation followed = failure ? startedRecently(tracked.unit(), now) : null;
    List<Observed> out = new ArrayList<>();
    for (ServiceDefinition def : tracked.services()) {
      Transition t = new Transition(now, def.name(), tracked.unit(), from, s.activeState(), s.subState(),
          ended ? s.result() : null, exitCode, exitStatus, signal, s.nRestarts(), s.mainPid() > 0 ? s.mainPid() : null,
          cause, op == null ? null : op.user(), null, null);
      out.add(new Observed(reason == null ? t : t.failedWith(reason), followed));
    }
    return out;
  }

  /**
   * Why it failed. From Restart='s wait into failed, without starting again on the way, means systemd
   * refused the restart: the start limit (systemd keeps the earlier failure's Result then). A timeout while stopping a unit
   * that was starting is a start timeout.
   */
  private static FailureReason reason(Seen before, UnitSnapshot s, boolean restartRefused) {
    if (restartRefused) {
      return FailureReason.of("start-limit-hit").orElseThrow();
    }
    String from = before.activeState();
    if (ServiceView.DEACTIVATING.equals(from) && ServiceView.ACTIVATING.equals(before.previous())) {
      from = ServiceView.ACTIVATING;
    }
    return FailureReason.of(s.result(), code(s), code(s) == null ? null : (int) s.execMainStatus(), from, null)
        .orElse(null);
  }

  /** A new ActiveState, or into or out of Restart='s wait (which systemd reports as "activating"). */
  private static boolean changed(Seen before, UnitSnapshot s) {
    return !Objects.equals(before.activeState(), s.activeState())
        || AUTO_RESTART.equals(before.subState()) != AUTO_RESTART.equals(s.subState());
  }

  /** The operation running on the unit, or one that ended within {@link #OPERATION_GRACE}. */
  private Operation operationAt(String unit, Instant now) {
    Operation op = operations.get(unit);
    if (op == null || op.ended() == null) {
      return op;
    }
    return op.ended().plus(OPERATION_GRACE).isBefore(now) ? null : op;
  }

  private Operation startedRecently(String unit, Instant now) {
    Operation op = operations.get(unit);
    return op != null && op.reportedStarted() && !op.ended().plus(FOLLOW_UP).isBefore(now) ? op : null;
  }

  private static Integer code(UnitSnapshot s) {
    return s.execMainCode() == 0 ? null : (int) s.execMainCode();
  }

  private static String exitCode(long execMainCode) {
    return switch ((int) execMainCode) {
      case FailureReason.CLD_EXITED -> "exited";
      case FailureReason.CLD_KILLED -> "killed";
      case FailureReason.CLD_DUMPED -> "dumped";
      default -> null;
    };
  }
}
