package io.servicemanager.status;

import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** Builds the one JSON shape of a service (DESIGN §3); nothing else assembles a view. */
public final class ServiceView {
  public static final String ACTIVE = "active";
  public static final String INACTIVE = "inactive";
  public static final String FAILED = "failed";
  public static final String ERROR = "error";
  /** A fleet node that left or stopped answering: nothing about its units is known now (DESIGN §4). */
  public static final String UNREACHABLE = "unreachable";
  public static final String CHECKING = "checking";
  public static final String ACTIVATING = "activating";
  public static final String DEACTIVATING = "deactivating";
  public static final String RELOADING = "reloading";

  /** States in which a main PID means something; the Service signal can outrun the Unit one. */
  private static final Set<String> RUNNING = Set.of(ACTIVE, ACTIVATING, DEACTIVATING, RELOADING);
  private static final Set<String> PLAIN =
      Set.of(ACTIVE, INACTIVE, FAILED, ACTIVATING, DEACTIVATING, RELOADING);

  private ServiceView() {}

  /**
   * A service's recent past, for {@code up_since}, {@code last_failure} and {@code last_operation}.
   *
   * @param upSince when it was seen going up; null: systemd's since, while it is up
   * @param lastFailure {@code {at, reason}} or null
   * @param lastOperation {@code {at, action, user, result}} or null
   */
  public record Recent(Instant upSince, JsonObject lastFailure, JsonObject lastOperation) {
    public static final Recent NONE = new Recent(null, null, null);
  }

  /** A view without its recent past (all null). */
  public static JsonObject of(ServiceDefinition def, UnitSnapshot unit, boolean busUp, Instant lastCheck) {
    return of(def, unit, busUp, lastCheck, Recent.NONE);
  }

  /**
   * @param unit the unit's state, or null when not read yet
   * @param busUp false while the bus connection is down: every state is then {@code error}
   * @param lastCheck when the state was last read or signalled, or null
   * @param recent what the insight knows of its recent past
   */
  public static JsonObject of(ServiceDefinition def, UnitSnapshot unit, boolean busUp, Instant lastCheck,
      Recent recent) {
    JsonObject view = new JsonObject()
        .put("name", def.name())
        .put("unit", def.unit())
        .put("display_name", def.displayName())
        .put("description", def.description())
        .put("permissions", def.permission().value())
        .put("allowed_actions", new JsonArray(def.permission().allowedActions()))
        .put("status_check_allowed", def.statusCheckAllowed())
        .put("logs_allowed", def.logsAllowed())
        .put("confirm_restart", def.confirmRestart());
    if (!def.statusCheckAllowed()) {
      // Hidden means hidden: not even "error" or a timestamp says anything about the unit.
      return view.putNull("status").putNull("active_state").putNull("sub_state")
          .putNull("since").putNull("main_pid").putNull("last_check")
          .putNull("up_since").putNull("last_failure").putNull("last_operation");
    }
    String status = status(unit, busUp);
    boolean known = busUp && unit != null && unit.isLoaded();
    view.put("status", status)
        .put("active_state", known ? unit.activeState() : null)
        .put("sub_state", known ? unit.subState() : null)
        .put("since", known ? since(unit) : null)
        .put("main_pid", known && RUNNING.contains(status) && unit.mainPid() > 0 ? unit.mainPid() : null)
        .put("last_check", lastCheck == null ? null : iso(lastCheck));
    boolean up = ACTIVE.equals(status) || RELOADING.equals(status);
    String upSince = !up ? null : recent.upSince() != null ? iso(recent.upSince()) : since(unit);
    return view.put("up_since", upSince)
        .put("last_failure", recent.lastFailure())
        .put("last_operation", recent.lastOperation());
  }

  static String status(UnitSnapshot unit, boolean busUp) {
    if (!busUp) {
      return ERROR;
    }
    if (unit == null) {
      return CHECKING;
    }
    if (!unit.isLoaded()) {
      return ERROR;
    }
    String active = unit.activeState();
    if (active == null) {
      return CHECKING;
    }
    if (PLAIN.contains(active)) {
      return active;
    }
    // systemd's "maintenance" and "refreshing" are transitions too.
    return RELOADING;
  }

  private static String since(UnitSnapshot unit) {
    long micros = unit.stateChangeTimestampMicros();
    return micros <= 0 ? null : iso(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  /** ISO-8601 UTC with milliseconds, as everywhere in the API. */
  public static String iso(Instant instant) {
    Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
    String text = millis.toString();
    // Instant.toString drops ".000"; the contract always has milliseconds.
    return millis.getNano() == 0 ? text.replace("Z", ".000Z") : text;
  }

  /** The view without its check time: two views equal here mean nothing changed for a client. */
  public static JsonObject withoutCheckTime(JsonObject view) {
    JsonObject copy = view.copy();
    copy.remove("last_check");
    return copy;
  }

  /** A view as the fleet carries it: with the node whose systemd it describes. */
  public static JsonObject onNode(JsonObject view, String node) {
    return view.copy().put(FleetPatterns.NODE, node);
  }

  /** The view of a service on a fleet node that is gone: its status says so and no current fact remains. */
  public static JsonObject unreachable(JsonObject view) {
    JsonObject lost = view.copy();
    // Hidden services too: the host's loss is not the service's state, and their buttons must say so.
    lost.put("status", UNREACHABLE);
    for (String fact : new String[] {"active_state", "sub_state", "since", "main_pid", "last_check", "up_since"}) {
      lost.putNull(fact);
    }
    return lost;
  }
}
