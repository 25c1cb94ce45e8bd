package io.servicemanager.systemd;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What we hold about one unit: the few D-Bus properties the manager cares about, merged from the
 * Unit and Service interfaces. Immutable; signals produce new snapshots through {@link #merge}.
 *
 * <p>As go-systemd warns, the state reported may be more recent than the change that generated the
 * signal; we only ever derive state from the properties held here, never from the signal kind.
 */
public record UnitSnapshot(String unit, String path, Map<String, Object> properties) {
  public static final String LOAD_STATE = "LoadState";
  public static final String ACTIVE_STATE = "ActiveState";
  public static final String SUB_STATE = "SubState";
  public static final String STATE_CHANGE_TIMESTAMP = "StateChangeTimestamp";
  public static final String MAIN_PID = "MainPID";
  public static final String RESULT = "Result";
  public static final String EXEC_MAIN_STATUS = "ExecMainStatus";
  public static final String EXEC_MAIN_CODE = "ExecMainCode";
  /** Service.TimeoutStartUSec: never signalled (it is configuration); read for a failed unit, to word a start timeout. */
  public static final String TIMEOUT_START_USEC = "TimeoutStartUSec";
  /** Service.NRestarts: how often Restart= restarted it; grows when systemd restarts it on its own. */
  public static final String N_RESTARTS = "NRestarts";
  /** Service.Type: "simple", "exec", "notify", "forking", "oneshot", "dbus", "idle". */
  public static final String TYPE = "Type";

  /** The properties kept; every other property in a signal is dropped at the edge. */
  public static final Set<String> WATCHED = Set.of(LOAD_STATE, ACTIVE_STATE, SUB_STATE,
      STATE_CHANGE_TIMESTAMP, MAIN_PID, RESULT, EXEC_MAIN_STATUS, EXEC_MAIN_CODE, TYPE,
      N_RESTARTS);

  public UnitSnapshot {
    properties = Map.copyOf(properties);
  }

  /** A snapshot with {@code changed} applied over this one's properties. */
  public UnitSnapshot merge(Map<String, Object> changed) {
    Map<String, Object> merged = new HashMap<>(properties);
    merged.putAll(changed);
    return new UnitSnapshot(unit, path, merged);
  }

  /** A snapshot that keeps this one's values and takes only what it lacks from {@code older}. */
  public UnitSnapshot fillFrom(UnitSnapshot older) {
    Map<String, Object> merged = new HashMap<>(older.properties);
    merged.putAll(properties);
    return new UnitSnapshot(unit, path, merged);
  }

  public String loadState() {
    return (String) properties.get(LOAD_STATE);
  }

  public String activeState() {
    return (String) properties.get(ACTIVE_STATE);
  }

  public String subState() {
    return (String) properties.get(SUB_STATE);
  }

  /** Microseconds since the epoch of the last ActiveState change; 0 when it never changed. */
  public long stateChangeTimestampMicros() {
    return number(STATE_CHANGE_TIMESTAMP);
  }

  public long mainPid() {
    return number(MAIN_PID);
  }

  /** Service.Result: "success", "exit-code", "timeout", …; null for a unit never read as a service. */
  public String result() {
    return (String) properties.get(RESULT);
  }

  public long execMainStatus() {
    return number(EXEC_MAIN_STATUS);
  }

  /** Service.ExecMainCode: 1 exited, 2 killed, 3 dumped core (waitid's si_code); 0 when not known. */
  public long execMainCode() {
    return number(EXEC_MAIN_CODE);
  }

  /** Service.NRestarts; null when not told yet. */
  public Long nRestarts() {
    return properties.get(N_RESTARTS) instanceof Number n ? n.longValue() : null;
  }

  /** TimeoutStartUSec in whole seconds; null when not read or infinite. */
  public Long timeoutStartSeconds() {
    return properties.get(TIMEOUT_START_USEC) instanceof Number n && n.longValue() > 0 ? n.longValue() / 1_000_000 : null;
  }

  public String type() {
    return (String) properties.get(TYPE);
  }

  public boolean isLoaded() {
    String load = loadState();
    return load != null && !"not-found".equals(load) && !"error".equals(load)
        && !"bad-setting".equals(load);
  }

  private long number(String key) {
    Object value = properties.get(key);
    return value instanceof Number n ? n.longValue() : 0L;
  }
}
