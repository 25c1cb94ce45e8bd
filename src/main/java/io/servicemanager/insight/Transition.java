package io.servicemanager.insight;

import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One change of a visible service's state (DESIGN §3), as systemd reported it.
 *
 * @param from the ActiveState before; null when not known (the first read after a start or a gap)
 * @param to the ActiveState after
 * @param result Service {@code Result}
 * @param exitCode how the main process ended: "exited", "killed" or "dumped" (from ExecMainCode)
 * @param exitStatus ExecMainStatus when it exited
 * @param signal the signal number when it was killed or dumped core
 * @param cause who caused it; {@code causeUser} names the operation's user
 * @param reason a {@link FailureReason#code()} when this was a failure, else null
 * @param message the {@link FailureReason#words()} of that failure, else null
 */
public record Transition(Instant at, String service, String unit, String from, String to, String subState,
    String result, String exitCode, Long exitStatus, Integer signal, Long nRestarts, Long mainPid, Cause cause,
    String causeUser, String reason, String message) {

  public enum Cause {
    /** An action through Service Manager; {@code causeUser} says whose. */
    OPERATION,
    /** systemd on its own: Restart=, a dependency, a timer. */
    SYSTEMD,
    /** Anything else: systemctl from a shell, a crash. */
    EXTERNAL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Cause of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  public Transition {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(cause, "cause");
  }

  /** A transition that only changes state; the rest is null. */
  public static Transition of(Instant at, String service, String from, String to, Cause cause) {
    return new Transition(at, service, service + ".service", from, to, null, null, null, null, null, null, null,
        cause, null, null, null);
  }

  /** The same transition, marked as a failure for {@code reason}. */
  public Transition failedWith(FailureReason reason) {
    return new Transition(at, service, unit, from, to, subState, result, exitCode, exitStatus, signal, nRestarts,
        mainPid, cause, causeUser, reason.code(), reason.words());
  }

  /** The same transition for another service (its unit named after it). */
  public Transition withService(String name) {
    return new Transition(at, name, name + ".service", from, to, subState, result, exitCode, exitStatus, signal,
        nRestarts, mainPid, cause, causeUser, reason, message);
  }

  /** The service went down on its own: into "failed", or into a restart systemd scheduled after a failure. */
  public boolean isFailure() {
    // Found failed at the first read (from unknown): it failed while nobody watched, not now.
    boolean intoFailed = from != null && "failed".equals(to) && !"failed".equals(from);
    // systemd 252 may show the unit failed first, then waiting to restart: one failure, not two.
    boolean autoRestart = "auto-restart".equals(subState) && !"failed".equals(from) && result != null
        && !"success".equals(result);
    return intoFailed || autoRestart || (reason != null && !Objects.equals(from, to) && !"failed".equals(from));
  }

  /** The reason code to group this failure under: its own, else from its result. */
  public String reasonCode() {
    if (reason != null) {
      return reason;
    }
    return FailureReason.of(result).map(FailureReason::code).orElse("unknown");
  }

  /** The failure in words: its own, else from its result. */
  public String reasonWords() {
    if (message != null) {
      return message;
    }
    return FailureReason.of(result).map(FailureReason::words).orElse("failed");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("at", ServiceView.iso(at))
        .put("service", service)
        .put("unit", unit)
        .put("from", from)
        .put("to", to)
        .put("sub_state", subState)
        .put("result", result)
        .put("exit_code", exitCode)
        .put("exit_status", exitStatus)
        .put("signal", signal)
        .put("n_restarts", nRestarts)
        .put("main_pid", mainPid)
        .put("cause", cause.wire())
        .put("cause_user", causeUser)
        .put("reason", reason)
        .put("message", message);
  }
}
