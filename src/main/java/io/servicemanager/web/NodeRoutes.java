package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.history.HistoryQuery;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/**
 * The fleet's REST routes (DESIGN §4): {@code /api/nodes} and the node-qualified service routes. Each
 * service answer comes from the owning node, which decides what the caller sees and may do there; a
 * standalone server has no nodes ({@code unknown_node}).
 */
final class NodeRoutes {
  private static final long ACTION_TIMEOUT_MS = 160_000;
  private final Vertx vertx;

  NodeRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/api/nodes").handler(this::nodes);
    router.get("/api/nodes/:node/services").handler(this::services);
    router.get("/api/nodes/:node/timeline").handler(this::timelines);
    router.get("/api/nodes/:node/services/:name").handler(this::service);
    router.get("/api/nodes/:node/services/:name/history").handler(this::history);
    router.get("/api/nodes/:node/services/:name/timeline").handler(this::timeline);
    router.get("/api/nodes/:node/services/:name/stats").handler(this::stats);
    router.get("/api/nodes/:node/services/:name/logs").handler(this::logs);
    router.get("/api/nodes/:node/services/:name/resources").handler(ctx -> read(ctx, Addresses.NODE_RESOURCES, new JsonObject()));
    router.post("/api/nodes/:node/services/:name/:action").handler(this::act);
  }

  /** The service's finished actions on that node, newest first; {@code ?limit=} as for {@code /api/history}. */
  private void history(RoutingContext ctx) {
    HistoryQuery.Parsed parsed = HistoryQuery.parse(ctx.queryParams());
    if (!parsed.valid() || parsed.query().service() != null) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, parsed.valid() ? "service: it is named in the path" : parsed.error());
      return;
    }
    read(ctx, Addresses.NODE_HISTORY, new JsonObject().put("limit", parsed.query().limit()));
  }

  private void timeline(RoutingContext ctx) {
    InsightQuery q = InsightQuery.timeline(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    read(ctx, Addresses.NODE_TIMELINE, q.range().put("limit", q.limit()));
  }

  private void stats(RoutingContext ctx) {
    InsightQuery q = InsightQuery.window(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    read(ctx, Addresses.NODE_STATS, q.ofWindow());
  }

  /** The cards' bars of one node, as {@code GET /api/timeline}: chosen and read by that node for the caller. */
  private void timelines(RoutingContext ctx) {
    InsightQuery q = InsightQuery.window(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    ask(ctx, Addresses.NODE_TIMELINES, q.ofWindow().put("limit", InsightQuery.DEFAULT_LIMIT).put("identity", AuthRoutes.who(ctx).toJson()), 10_000)
        .onSuccess(answer -> HttpVerticle.json(ctx, 200, answer));
  }

  /** The service's journal on that node, as {@code /api/services/{name}/logs} (same query, same answer). */
  private void logs(RoutingContext ctx) {
    JsonObject question = JournalRoutes.journalQuestion(ctx);
    if (question != null) {
      read(ctx, Addresses.NODE_JOURNAL, question);
    }
  }

  /** A read about the path's service, answered by its node for the caller ({@link Addresses#NODE_HISTORY}). */
  private void read(RoutingContext ctx, String kind, JsonObject question) {
    question.put("service", ctx.pathParam("name")).put("identity", AuthRoutes.who(ctx).toJson());
    ask(ctx, kind, question, 10_000).onSuccess(answer -> HttpVerticle.json(ctx, 200, answer));
  }

  /** Each node with how many of its services the caller may know of there. */
  private void nodes(RoutingContext ctx) {
    Identity who = AuthRoutes.who(ctx);
    vertx.eventBus().<JsonObject>request(Addresses.FLEET_NODES, new JsonObject())
        .onSuccess(reply -> {
          String dashboard = reply.body().getString("dashboard");
          JsonArray nodes = new JsonArray();
          reply.body().getJsonArray("nodes").forEach(raw -> {
            JsonObject node = (JsonObject) raw;
            JsonArray views = node.getJsonArray("services");
            Identity there = FleetPatterns.onNode(who, dashboard, node.getString("node"),
                views.stream().map(v -> ((JsonObject) v).getString("name")).toList());
            nodes.add(new JsonObject().put("node", node.getString("node")).put("reachable", node.getBoolean("reachable"))
                .put("since", node.getString("since")).put("services", Audience.of(there).views(views).size()));
          });
          HttpVerticle.json(ctx, 200, new JsonObject().put("nodes", nodes));
        })
        .onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_NODE, "this server is not in a fleet"));
  }

  private void services(RoutingContext ctx) {
    snapshot(ctx).onSuccess(views -> HttpVerticle.json(ctx, 200, new JsonObject().put("services", views)));
  }

  private void service(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    snapshot(ctx).onSuccess(views -> views.stream().map(JsonObject.class::cast)
        .filter(view -> name.equals(view.getString("name"))).findFirst()
        .ifPresentOrElse(view -> HttpVerticle.json(ctx, 200, view),
            () -> HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(name))));
  }

  private void act(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("service", ctx.pathParam("name")).put("action", ctx.pathParam("action"))
        .put("identity", AuthRoutes.who(ctx).toJson());
    ask(ctx, Addresses.NODE_ACTION, body, ACTION_TIMEOUT_MS)
        .onSuccess(answer -> HttpVerticle.json(ctx, Actions.httpStatus(answer), WireFormat.apiAnswer(answer)));
  }

  /**
   * The views the owning node lets the caller see; of an unreachable node, the last views this
   * dashboard had, each {@code unreachable}, filtered here by the same rules. A failure is answered here.
   */
  private Future<JsonArray> snapshot(RoutingContext ctx) {
    Identity who = AuthRoutes.who(ctx);
    return ask(ctx, Addresses.NODE_SNAPSHOT, new JsonObject().put("identity", who.toJson()), 10_000)
        .map(answer -> {
          JsonArray views = answer.getJsonArray("services");
          if (!answer.getBoolean("unreachable", false)) {
            return views;
          }
          return FleetPatterns.views(who, answer.getString("dashboard"), views);
        });
  }

  /** The node's answer; an unknown or unreachable node, or no fleet at all, is answered as an error here. */
  private Future<JsonObject> ask(RoutingContext ctx, String kind, JsonObject body, long timeoutMs) {
    JsonObject request = new JsonObject().put("node", ctx.pathParam("node")).put("kind", kind).put("body", body);
    return vertx.eventBus().<JsonObject>request(Addresses.FLEET_REQUEST, request, new DeliveryOptions().setSendTimeout(timeoutMs))
        .transform(ar -> {
          if (ar.failed()) {
            HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_NODE, "this server is not in a fleet");
            return Future.failedFuture(ar.cause());
          }
          JsonObject answer = ar.result().body();
          if (answer.getValue("error") instanceof String code) {
            HttpVerticle.fail(ctx, ErrorCode.valueOf(code.toUpperCase(Locale.ROOT)), answer.getString("message"));
            return Future.failedFuture(code);
          }
          return Future.succeededFuture(answer);
        });
  }
}
