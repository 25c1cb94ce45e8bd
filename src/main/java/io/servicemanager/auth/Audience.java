package io.servicemanager.auth;

import io.servicemanager.ErrorCode;
import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What one identity may see and do (DESIGN §2, "one authority per concern"): the single answer every
 * transport asks — REST, /ws, the SockJS and TCP bridges, /metrics. A service outside the identity's
 * list does not exist for it; a viewer may do nothing ({@code allowed_actions: []}); a service whose
 * status may not be checked reveals no state to anyone; what names every service (metrics, a rejected
 * configuration's errors) goes only to an identity that sees every service.
 *
 * <p>Each kind of data is one method returning the item as this identity may see it, or null when it
 * must not reach them. A new per-service kind (a timeline, a statistic, a log line) is one more
 * method over {@link #perService}. Which verbs a permission level allows is not decided here: that is
 * the configuration's table and the action verticle's check.
 */
public final class Audience {
  /** The fields of a view that say something about the unit's state. */
  static final List<String> STATE_FIELDS = List.of("status", "active_state", "sub_state", "since", "main_pid",
      "last_check", "up_since", "last_failure", "last_operation");

  private final Identity who;

  private Audience(Identity who) {
    this.who = who;
  }

  public static Audience of(Identity who) {
    return new Audience(who);
  }

  public Identity identity() {
    return who;
  }

  /**
   * Identities with equal keys see exactly the same of everything, so a frame made for one serves
   * them all (the /ws fan-out encodes it once per key).
   */
  public Object key() {
    return List.of(who.role(), who.services() == null ? "every" : who.services());
  }

  /** False for a service outside the identity's list: for this identity it does not exist. */
  public boolean knows(String service) {
    return service != null && who.sees(service);
  }

  /** True when nothing is outside the identity's list: what names every service may reach it. */
  public boolean seesEverything() {
    return who.services() == null;
  }

  /**
   * A service view (a status push, a snapshot entry, a REST answer) as this identity sees it: null
   * for a service it does not know; no actions for a viewer; no state where the service's status may
   * not be checked (the status verticle already publishes none: this holds it whoever builds a view).
   */
  public JsonObject view(JsonObject view) {
    if (view == null || !(view.getValue("name") instanceof String name) || !knows(name)) {
      return null;
    }
    boolean hidden = Boolean.FALSE.equals(view.getValue("status_check_allowed"));
    if (who.mayAct() && !(hidden && revealsState(view))) {
      return view;
    }
    JsonObject seen = view.copy();
    if (!who.mayAct()) {
      seen.put("allowed_actions", new JsonArray());
    }
    if (hidden) {
      STATE_FIELDS.forEach(seen::putNull);
      if (lostHost(view)) {
        seen.put("status", ServiceView.UNREACHABLE);
      }
    }
    return seen;
  }

  /** The views this identity sees, in order; the others are left out. */
  public JsonArray views(JsonArray views) {
    JsonArray visible = new JsonArray();
    if (views != null) {
      for (Object v : views) {
        JsonObject seen = v instanceof JsonObject view ? view(view) : null;
        if (seen != null) {
          visible.add(seen);
        }
      }
    }
    return visible;
  }

  /** The status verticle's snapshot ({@code services}, {@code dbus}) as this identity sees it. */
  public JsonObject snapshot(Object reply) {
    JsonObject full = reply instanceof JsonObject json ? json : new JsonObject();
    JsonArray services = full.getValue("services") instanceof JsonArray list ? list : null;
    return new JsonObject().put("services", views(services)).put("dbus", full.getValue("dbus"));
  }

  /** A recorded or published operation, by its {@code service}. */
  public JsonObject operation(JsonObject operation) {
    return perService(operation, "service");
  }

  /**
   * Whose history entries this identity may read: those of the services it knows, null for every
   * service (a query filters by it, so the limit counts only what the caller may see).
   */
  public Set<String> history() {
    return who.services();
  }

  /**
   * Whether this identity may read the journal of the service {@code view} (the full view) describes:
   * null when it may; else {@code unknown_service} (it does not exist for them) or
   * {@code logs_not_allowed} (its state is hidden, which no log line may betray, or its
   * {@code logs_allowed} is false).
   */
  public ErrorCode logs(JsonObject view) {
    ErrorCode seen = resources(view);
    if (seen != null) {
      return seen == ErrorCode.STATE_HIDDEN ? ErrorCode.LOGS_NOT_ALLOWED : seen;
    }
    return Boolean.TRUE.equals(view.getValue("logs_allowed")) ? null : ErrorCode.LOGS_NOT_ALLOWED;
  }

  /**
   * Whether this identity may read the resource figures of the service {@code view} describes: null
   * when it may; {@code unknown_service}, or {@code state_hidden} where its state is hidden.
   */
  public ErrorCode resources(JsonObject view) {
    if (view(view) == null) {
      return ErrorCode.UNKNOWN_SERVICE;
    }
    return seesStateOf(view) ? null : ErrorCode.STATE_HIDDEN;
  }

  /**
   * What a caller refused with {@code code} by {@link #logs} or {@link #resources} is told about
   * {@code name}: the same words on every transport and on every node.
   */
  public static String refusal(ErrorCode code, String name) {
    return switch (code) {
      case UNKNOWN_SERVICE -> "no service named " + ErrorCode.quote(name);
      case LOGS_NOT_ALLOWED -> "the journal of " + ErrorCode.quote(name)
          + " may not be read (its state is hidden, or logs_allowed is not true in services.yaml)";
      case STATE_HIDDEN -> "the state of " + ErrorCode.quote(name) + " is hidden (status_check_allowed: false)";
      default -> code.code();
    };
  }

  /**
   * Whether this identity may see the service's state over time — its timeline and statistics:
   * only for a service it knows whose status may be checked. Null view: false.
   */
  public boolean seesStateOf(JsonObject view) {
    return view(view) != null && !Boolean.FALSE.equals(view.getValue("status_check_allowed"));
  }

  /**
   * A start that failed soon after it was reported done, by its {@code service}: for whoever knows
   * the service. The status verticle never follows a hidden service, so none is about one.
   */
  public JsonObject startFailed(JsonObject followUp) {
    return perService(followUp, "service");
  }

  /** The meters name every service: only for an identity that sees every service. */
  public boolean metrics() {
    return seesEverything();
  }

  /**
   * The configuration itself — its history, which names every service, user and token, and the
   * units not in it yet — only for a signed-in identity that sees every service: never for one
   * limited to some services, nor for the anonymous viewer, who has not said who they are.
   */
  public boolean configuration() {
    return seesEverything() && !Identity.ANONYMOUS.equals(who.name());
  }

  /** A rejected configuration's errors may name any service: only for an identity that sees every one. */
  public JsonObject configErrors(JsonObject errors) {
    return seesEverything() ? errors : null;
  }

  /** The rule every per-service kind shares: the item, or null when its service is unknown to this identity. */
  private JsonObject perService(JsonObject item, String serviceField) {
    return item != null && item.getValue(serviceField) instanceof String service && knows(service) ? item : null;
  }

  private static boolean revealsState(JsonObject view) {
    return STATE_FIELDS.stream().anyMatch(f -> view.getValue(f) != null && !("status".equals(f) && lostHost(view)));
  }

  /** A fleet node's view while that node is lost: its status tells the host's reachability, no state of the service. */
  private static boolean lostHost(JsonObject view) {
    return ServiceView.UNREACHABLE.equals(view.getValue("status"));
  }
}
