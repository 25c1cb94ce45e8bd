package io.servicemanager.action;

/**
 * How an action ended, in the API's words.
 *
 * @param result "done", or systemd's failure word: "failed", "dependency", "canceled", "timeout"
 * @param systemdResult Service.Result after the job ("success", "exit-code", "timeout", …), or null
 * @param exitStatus ExecMainStatus after the job, or null when not known
 */
public record Outcome(String result, String systemdResult, Long exitStatus, String message) {
  public boolean success() {
    return "done".equals(result);
  }

  /** For a service whose status is hidden: the verdict only, no exit status or reason about the unit. */
  public Outcome redacted(String action) {
    return new Outcome(result, null, null, action + (success() ? " done" : " " + result));
  }
}
