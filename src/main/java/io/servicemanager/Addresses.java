package io.servicemanager;

/** Event-bus addresses: the one place they are spelled (DESIGN §6). */
public final class Addresses {
  /** publish: a service view, once per real change of a visible service. */
  public static final String STATUS = "servicemanager.status";
  /** publish: an operation record for every finished action. */
  public static final String OPERATION = "servicemanager.operation";
  /**
   * request/reply: {service, action, identity: {name, role, services}} → result. The identity is the
   * authenticated caller's ({@link io.servicemanager.auth.Identity}); without one the answer is
   * {@code unauthorized}.
   */
  public static final String ACTION = "servicemanager.action";
  /** request/reply: {} → {"services": [view, …]}. */
  public static final String SNAPSHOT = "servicemanager.snapshot";
  /** publish: the new catalogue after a valid live reload, or {"errors": [...]} after an invalid one. */
  public static final String CONFIG = "servicemanager.config";
  /** publish: a full snapshot {"services": [view, …]} after the status verticle applied a new catalogue. */
  public static final String CATALOGUE = "servicemanager.catalogue";
  /**
   * publish: {"service", "unit", "action", "user"} when the action verticle hands a job to systemd,
   * so that state changes while it runs are recorded as caused by that operation.
   */
  public static final String OPERATION_BEGUN = "servicemanager.operation.begun";
  /** publish: a recorded status transition ({@code Transition#toJson}), for the meters. */
  public static final String TRANSITION = "servicemanager.transition";
  /**
   * publish: {"service", "action", "user", "started_at", "failed_at", "after_ms", "reason", "message"}
   * when a service whose start (or restart) was reported done fails within a minute of it.
   */
  public static final String START_FAILED = "servicemanager.start.failed";
  /**
   * request/reply, the insight store: {"service", "from", "to", "limit"} → {"transitions": […]};
   * {"service", "from", "to"} → statistics; {"services": […], "from", "to"} → {"services": [statistics…]};
   * timelines: {"services": […], "from", "to", "window", "limit"} → {"gaps": […], "services": [timeline…]}.
   */
  public static final String INSIGHT_TIMELINE = "servicemanager.insight.timeline";
  public static final String INSIGHT_TIMELINES = "servicemanager.insight.timelines";
  public static final String INSIGHT_STATS = "servicemanager.insight.stats";
  public static final String INSIGHT_RANKING = "servicemanager.insight.ranking";
  /** publish: {"connected": bool}, whenever the D-Bus connection goes up or down. */
  public static final String BUS_STATE = "servicemanager.bus";

  /**
   * Header on a {@code servicemanager.status} message caused by a signal: {@link System#nanoTime()}
   * when dbus-java handed the signal over, so the push latency can be measured when the /ws frame
   * is written. Local to this JVM (the bus is not clustered); the body stays the plain view.
   */
  public static final String SIGNAL_RECEIVED_NANOS = "signal-received-nanos";

  /**
   * publish: {"errors": [...]} after a change of the users file that did not validate (the last good
   * users stay), or {"users": {...}, "tokens": {...}} after one that did.
   */
  public static final String USERS = "servicemanager.users";

  /**
   * publish: {"file": "services.yaml"|"users.yaml", "text": TEXT|null} each time a watcher accepted a
   * file's text (null: absent), for the configuration history; never for a rejected one.
   */
  public static final String CONFIG_ACCEPTED = "servicemanager.config.accepted";

  /** publish: {"rev", "at", "message"} each time the configuration history recorded a new version. */
  public static final String CONFIG_VERSION = "servicemanager.config.version";

  /**
   * request/reply: {"unit", "lines", "before": CURSOR|null} → {"entries": [{at, priority, message, pid,
   * cursor}, …]} oldest first, or {"error": CODE, "message"} ({@code logs_unavailable}, {@code bad_request}).
   * Callers have checked the identity's right first ({@link io.servicemanager.auth.Audience#logs}).
   */
  public static final String JOURNAL = "servicemanager.journal";

  /**
   * request/reply: {"service", "unit", "follower": ID, "follow": bool} → {} or {"error", "message"}.
   * While at least one follower ID follows a service, one journalctl follows its unit and its new
   * entries are published on {@link #JOURNAL_ENTRIES}.
   */
  public static final String JOURNAL_FOLLOW = "servicemanager.journal.follow";

  /** publish: {"service", "entries": […]} new journal entries of a followed service; {"service", "ended": true} when its follower stopped. */
  public static final String JOURNAL_ENTRIES = "servicemanager.journal.entries";

  /** request/reply: {"unit"} → {"memory_current", "cpu_usage_nsec", "tasks_current"} (null where not accounted), or {"error", "message"}. */
  public static final String RESOURCES = "servicemanager.resources";

  /**
   * request/reply: {"include_system": bool} → {"units": [{"unit", "name", "description", "active_state", "yaml"}, …]}:
   * the service units that exist but are not configured, read from systemd when asked; or {"error", "message"}.
   * Callers have checked the identity's right first ({@link io.servicemanager.auth.Audience#configuration}).
   */
  public static final String UNMANAGED = "servicemanager.unmanaged";

  /**
   * request/reply: {"limit"} → {"versions": [{"rev", "at", "message"}, …]} newest first: the configuration
   * history. Callers have checked the identity's right first ({@link io.servicemanager.auth.Audience#configuration}).
   */
  public static final String CONFIG_HISTORY = "servicemanager.config.history";

  /**
   * Fleet (DESIGN §4), on the clustered event bus only: request/reply to one node, at
   * {@code servicemanager.<node>.<kind>} ({@link #ofNode}). Each body carries the asking dashboard's
   * {@code dashboard} node and the caller's {@code identity} as users.yaml gave it; the node decides
   * against its own services.yaml what that identity may see and do there.
   * {@code action}: {service, action, identity, dashboard} → the action answer;
   * {@code snapshot}: {identity, dashboard} → {"node", "services": [view + node, …]} as that identity sees them.
   */
  public static final String NODE_ACTION = "action";
  public static final String NODE_SNAPSHOT = "snapshot";
  /**
   * Reads about one of the node's services, for an identity that may see it there (else
   * {"error": "unknown_service"}, and {@code state_hidden} for the insight of a hidden one):
   * {@code history}: {service, limit, identity, dashboard} → {"entries": […]} as {@link #HISTORY};
   * {@code insight.timeline} and {@code insight.stats}: as {@link #INSIGHT_TIMELINE} and {@link #INSIGHT_STATS},
   * plus identity and dashboard.
   */
  public static final String NODE_HISTORY = "history";
  public static final String NODE_TIMELINE = "insight.timeline";
  /**
   * {@code insight.timelines}: {from, to, window, limit, identity, dashboard} → as {@link #INSIGHT_TIMELINES},
   * for the node's services that identity may see there and whose state is not hidden (the cards' bars).
   */
  public static final String NODE_TIMELINES = "insight.timelines";
  public static final String NODE_STATS = "insight.stats";
  /**
   * The journal and resource figures of one of the node's services, checked there as the local
   * routes check ({@link io.servicemanager.auth.Audience#logs}, {@link io.servicemanager.auth.Audience#resources}):
   * {@code journal}: {service, lines, before, identity, dashboard} → {"service", "entries": […]} as {@link #JOURNAL};
   * {@code resources}: {service, identity, dashboard} → {"service", …} as {@link #RESOURCES};
   * a refusal or failure is {"error", "message"} with the local route's code.
   */
  public static final String NODE_JOURNAL = "journal";
  public static final String NODE_RESOURCES = "resources";
  /**
   * A dashboard's follow of one of the node's journals, per follower (one HTTP instance of that
   * dashboard): {@code journal.follow}: {service, follower, follow: bool, identity, dashboard} → {}
   * or {"error", "message"}. {@code follow: true} is checked like {@link #NODE_JOURNAL} and holds a
   * lease the dashboard renews by asking again; a lease not renewed in time ends, and with the last
   * one the node's journalctl. The node sends each batch of new entries to the dashboard at
   * {@code servicemanager.<dashboard>.journal.entries}: {"node", "service", "follower", "entries": […]},
   * or {…, "error", "message"} when the follow ended there.
   */
  public static final String NODE_JOURNAL_FOLLOW = "journal.follow";
  public static final String NODE_JOURNAL_ENTRIES = "journal.entries";

  /**
   * request/reply, local on a fleet node: {"service", "limit"} → {"entries": [record, …]} newest first,
   * the service's finished actions; callers have checked the identity's right to see it.
   */
  public static final String HISTORY = "servicemanager.history";

  /** The address of {@code kind} ({@link #NODE_ACTION}, {@link #NODE_SNAPSHOT}) on {@code node}. */
  public static String ofNode(String node, String kind) {
    return "servicemanager." + node + "." + kind;
  }

  /**
   * clustered publish, every second from every node: {"node", "node_id" (the cluster member),
   * "since" (when it started), "generation" (bumped when its catalogue changed), "services" (count)}.
   * A dashboard that hears nothing from a node for {@code FleetDirectory#SILENCE_MS} shows it unreachable.
   */
  public static final String FLEET_ANNOUNCE = "servicemanager.fleet.announce";
  /** clustered publish: {"node", "view"} each time a node's status verticle published a view. */
  public static final String FLEET_STATUS = "servicemanager.fleet.status";
  /**
   * clustered publish: each operation record a node published on {@link #OPERATION}, with its {@code node}
   * added. A dashboard node's fleet directory publishes every other node's on its local bus at this same
   * address, where its HTTP layer's feed takes them to whoever may see that service on that node.
   */
  public static final String FLEET_OPERATION = "servicemanager.fleet.operation";
  /** clustered publish, and local on a dashboard node, as {@link #FLEET_OPERATION}: a node's {@link #START_FAILED} with its {@code node}. */
  public static final String FLEET_START_FAILED = "servicemanager.fleet.start.failed";
  /** local request/reply on a dashboard node: {} → {"dashboard": its node, "nodes": [{node, reachable, since, services: [view + node, …]}, …]}. */
  public static final String FLEET_NODES = "servicemanager.fleet.nodes";
  /**
   * local request/reply on a dashboard node: {"node", "kind", "body"} → the answer of
   * {@code servicemanager.<node>.<kind>} to body (with this dashboard's name added), or a failure
   * {@code unknown_node} / {@code node_unreachable}.
   */
  public static final String FLEET_REQUEST = "servicemanager.fleet.request";
  /**
   * local publish on a dashboard node: {"node", "views": [view + node, …], "replace": bool}, the views
   * of another node as the fleet directory learned them: all of them when it fetched the node's
   * snapshot or lost it ({@code replace}: they replace what was shown of it), or one that changed.
   * Never about the dashboard's own node, whose views its HTTP layer has from its own status verticle.
   */
  public static final String FLEET_VIEWS = "servicemanager.fleet.views";
  /**
   * local publish on a dashboard node: what other nodes sent to its {@link #NODE_JOURNAL_ENTRIES}
   * address, as they sent it; each HTTP instance takes those of its own follower.
   */
  public static final String FLEET_JOURNAL_ENTRIES = "servicemanager.fleet.journal.entries";
  /**
   * local request/reply in the HTTP layer: {"node", "service", "action", "identity"} → the action answer of
   * that node ({@code unknown_node} and {@code node_unreachable} as action failures). Where the SockJS
   * bridge sends an action whose body names a node; no client may send to it.
   */
  public static final String FLEET_ACTION = "servicemanager.fleet.action";

  private Addresses() {}
}
