package io.servicemanager.systemd;

import java.time.Instant;

/**
 * How a job ended, in the API's words, with what it was judged by.
 *
 * @param result "done", or systemd's failure word: "failed", "dependency", "canceled", "timeout"
 * @param systemdResult Service.Result after the job ("success", "exit-code", "timeout", …), or null
 * @param exitStatus ExecMainStatus after the job, or null when not known
 * @param after the unit as the job left it; null when the job never finished for us
 * @param at when the job was asked for
 * @param durationMs from asking until the verdict
 */
public record JobOutcome(String result, String systemdResult, Long exitStatus, String message,
    UnitSnapshot after, Instant at, long durationMs) {

  /** An action that has no verdict of systemd's: refused before it was queued, or not awaited. */
  public static JobOutcome unfinished(String result, String message, Instant at, long durationMs) {
    return new JobOutcome(result, null, null, message, null, at, durationMs);
  }

  public boolean success() {
    return "done".equals(result);
  }

  /** For a service whose status is hidden: the verdict only, no exit status or reason about the unit. */
  public JobOutcome redacted(Action action) {
    return new JobOutcome(result, null, null, action.word() + (success() ? " done" : " " + result), null, at, durationMs);
  }

  JobOutcome timed(Instant at, long durationMs) {
    return new JobOutcome(result, systemdResult, exitStatus, message, after, at, durationMs);
  }
}
