package io.servicemanager.cluster;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.servicemanager.status.ServiceView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node on the fleet's bus: answers {@code servicemanager.<node>.action} and {@code .snapshot}
 * by asking its own action and status verticles (so its services.yaml and permission table decide,
 * whatever the asking dashboard believes), relays every view, operation and start failure it publishes
 * with its name, and announces itself every second so dashboards can tell a silent node from a quiet one.
 */
final class NodeEndpoint {
  static final long ANNOUNCE_MS = 1000;
  /** Longer than the action verticle's job timeout default, so a slow job is answered by the node, not cut here. */
  static final long ACTION_TIMEOUT_MS = 150_000;
  private final Vertx local;
  private final Vertx fleet;
  private final String node;
  private final String nodeId;
  private final String since = Instant.now().toString();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicInteger services = new AtomicInteger();

  NodeEndpoint(Vertx local, Vertx fleet, String node, String nodeId) {
    this.local = local;
    this.fleet = fleet;
    this.node = node;
    this.nodeId = nodeId;
  }

  Future<Void> start() {
    local.eventBus().<JsonObject>localConsumer(Addresses.STATUS,
        m -> fleet.eventBus().publish(Addresses.FLEET_STATUS, new JsonObject().put("node", node).put("view", ServiceView.onNode(m.body(), node))));
    local.eventBus().<JsonObject>localConsumer(Addresses.OPERATION,
        m -> fleet.eventBus().publish(Addresses.FLEET_OPERATION, m.body().copy().put(FleetPatterns.NODE, node)));
    local.eventBus().<JsonObject>localConsumer(Addresses.START_FAILED,
        m -> fleet.eventBus().publish(Addresses.FLEET_START_FAILED, m.body().copy().put(FleetPatterns.NODE, node)));
    local.eventBus().<JsonObject>localConsumer(Addresses.CATALOGUE, m -> {
      services.set(m.body().getJsonArray("services", new JsonArray()).size());
      generation.incrementAndGet();
    });
    fleet.setPeriodic(0, ANNOUNCE_MS, t -> announce());
    return localViews().compose(views -> {
      services.set(views.size());
      return fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_ACTION), this::action).completion();
    })
        // Before the snapshot, which makes this node reachable on a dashboard that then asks for its cards' bars.
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_TIMELINES), this::timelines).completion())
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_SNAPSHOT), this::snapshot).completion())
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_HISTORY),
            m -> read(m, Addresses.HISTORY, false)).completion())
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_TIMELINE),
            m -> read(m, Addresses.INSIGHT_TIMELINE, true)).completion())
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_STATS),
            m -> read(m, Addresses.INSIGHT_STATS, true)).completion())
        .compose(v -> new NodeJournal(local, fleet, node).start());
  }

  /**
   * A read about one of this node's services (its history, timeline, statistics), answered from the
   * local {@code address} only for an identity that may see the service here ({@code unknown_service}
   * otherwise) and, when {@code state}, its state ({@code state_hidden}), as on a standalone server.
   */
  private void read(Message<JsonObject> m, String address, boolean state) {
    JsonObject body = m.body();
    Identity asked = Identity.fromJson(body.getValue("identity")).orElse(null);
    String service = body.getValue("service") instanceof String s ? s : "";
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    localViews().onSuccess(views -> {
      Audience audience = asked == null ? null : Audience.of(FleetPatterns.onNode(asked, dashboard, node, names(views)));
      JsonObject view = views.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(v -> service.equals(v.getString("name"))).findFirst().orElse(null);
      if (audience == null || audience.view(view) == null) {
        m.reply(FleetDirectory.failure(ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(service) + " on " + node));
        return;
      }
      if (state && !audience.seesStateOf(view)) {
        m.reply(FleetDirectory.failure(ErrorCode.STATE_HIDDEN, service + "'s state is hidden (status_check_allowed: false):"
            + " it has no timeline and no statistics"));
        return;
      }
      JsonObject question = body.copy();
      question.remove("identity");
      question.remove("dashboard");
      local.eventBus().<JsonObject>request(address, question)
          .onSuccess(reply -> m.reply(reply.body()))
          .onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.INTERNAL_ERROR, "cannot be read on " + node + ": " + e.getMessage())));
    }).onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "status not available on " + node)));
  }

  /**
   * The timelines of this node's services the asking identity may see here and whose state is not
   * hidden, as {@code /api/timeline} chooses them on a standalone server; an identity that is not
   * well-formed sees none.
   */
  private void timelines(Message<JsonObject> m) {
    JsonObject body = m.body();
    Identity asked = Identity.fromJson(body.getValue("identity")).orElse(null);
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    localViews().onSuccess(views -> {
      Audience audience = asked == null ? null : Audience.of(FleetPatterns.onNode(asked, dashboard, node, names(views)));
      List<String> services = audience == null ? List.of() : views.stream().filter(JsonObject.class::isInstance)
          .map(JsonObject.class::cast).filter(audience::seesStateOf).map(v -> v.getString("name")).toList();
      JsonObject question = new JsonObject().put("from", body.getValue("from")).put("to", body.getValue("to"))
          .put("window", body.getValue("window")).put("limit", body.getValue("limit")).put("services", new JsonArray(services));
      local.eventBus().<JsonObject>request(Addresses.INSIGHT_TIMELINES, question)
          .onSuccess(reply -> m.reply(reply.body()))
          .onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.INTERNAL_ERROR, "cannot be read on " + node + ": " + e.getMessage())));
    }).onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "status not available on " + node)));
  }

  private void announce() {
    fleet.eventBus().publish(Addresses.FLEET_ANNOUNCE, new JsonObject().put("node", node).put("node_id", nodeId)
        .put("since", since).put("generation", generation.get()).put("services", services.get()));
  }

  /** The caller's identity as it stands here; the action verticle then checks it against this node's table. */
  private void action(Message<JsonObject> m) {
    JsonObject body = m.body();
    scoped(body).compose(who -> local.eventBus().<JsonObject>request(Addresses.ACTION, new JsonObject()
            .put("service", body.getValue("service")).put("action", body.getValue("action"))
            .put("identity", who == null ? null : who.toJson()), new DeliveryOptions().setSendTimeout(ACTION_TIMEOUT_MS)))
        .onSuccess(reply -> m.reply(reply.body()))
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  private void snapshot(Message<JsonObject> m) {
    scoped(m.body()).compose(who -> local.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
            .map(reply -> who == null ? new JsonObject().put("services", new JsonArray())
                : Audience.of(who).snapshot(reply.body())))
        .onSuccess(seen -> {
          JsonArray views = new JsonArray();
          seen.getJsonArray("services").forEach(v -> views.add(ServiceView.onNode((JsonObject) v, node)));
          m.reply(seen.put("node", node).put("services", views));
        })
        .onFailure(e -> m.fail(500, e.getMessage()));
  }

  /** Null when the body names no well-formed identity: it then sees nothing and may do nothing. */
  private Future<Identity> scoped(JsonObject body) {
    Identity who = Identity.fromJson(body.getValue("identity")).orElse(null);
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    if (who == null) {
      return Future.succeededFuture(null);
    }
    return localViews().map(views -> FleetPatterns.onNode(who, dashboard, node, names(views)));
  }

  static List<String> names(JsonArray views) {
    return views.stream().filter(JsonObject.class::isInstance).map(v -> ((JsonObject) v).getString("name")).toList();
  }

  private Future<JsonArray> localViews() {
    return localViews(local);
  }

  /** Every service's full view on this node, from its status verticle. */
  static Future<JsonArray> localViews(Vertx local) {
    return local.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .map(reply -> reply.body().getJsonArray("services", new JsonArray()));
  }
}
