package io.servicemanager.cluster;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.FleetPatterns;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/**
 * This node's journal and resource figures for the fleet's dashboards: {@code servicemanager.<node>.journal}
 * and {@code .resources}. Each request is checked here, against this node's own services.yaml and
 * the asking identity as this node reads it ({@link FleetPatterns#onNode}), with the same
 * {@link Audience} rule and the same refusal as the local routes, then answered by this node's
 * journal and resources verticles about its own unit.
 */
final class NodeJournal {
  private final Vertx local;
  private final Vertx fleet;
  private final String node;

  NodeJournal(Vertx local, Vertx fleet, String node) {
    this.local = local;
    this.fleet = fleet;
    this.node = node;
  }

  Future<Void> start() {
    return fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_JOURNAL),
            m -> answer(m, Addresses.JOURNAL, Audience::logs,
                new JsonObject().put("lines", m.body().getValue("lines")).put("before", m.body().getValue("before"))))
        .completion()
        .compose(v -> fleet.eventBus().<JsonObject>consumer(Addresses.ofNode(node, Addresses.NODE_RESOURCES),
            m -> answer(m, Addresses.RESOURCES, Audience::resources, new JsonObject())).completion());
  }

  /** Asks {@code address} about the service's unit when {@code check} lets the body's identity; else the refusal. */
  private void answer(Message<JsonObject> m, String address, BiFunction<Audience, JsonObject, ErrorCode> check,
      JsonObject question) {
    String service = m.body().getValue("service") instanceof String s ? s : "";
    allowed(m.body(), check).onSuccess(view -> {
      if (view.getValue("error") != null) {
        m.reply(view);
        return;
      }
      local.eventBus().<JsonObject>request(address, question.put("unit", view.getString("unit")))
          .onSuccess(reply -> m.reply(reply.body().getValue("error") != null ? reply.body() : reply.body().put("service", service)))
          .onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "no answer on " + node + ": " + e.getMessage())));
    }).onFailure(e -> m.reply(FleetDirectory.failure(ErrorCode.UNAVAILABLE, "status not available on " + node)));
  }

  /**
   * The full local view of the body's service when {@code check} lets the body's identity (as this
   * node reads it) have it; otherwise the refusal, as {"error", "message"}. An identity that is not
   * well formed knows no service here.
   */
  Future<JsonObject> allowed(JsonObject body, BiFunction<Audience, JsonObject, ErrorCode> check) {
    Identity asked = Identity.fromJson(body.getValue("identity")).orElse(null);
    String service = body.getValue("service") instanceof String s ? s : "";
    String dashboard = body.getValue("dashboard") instanceof String d ? d : "";
    return NodeEndpoint.localViews(local).map(views -> {
      JsonObject view = views.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(v -> service.equals(v.getString("name"))).findFirst().orElse(null);
      ErrorCode refused = asked == null || view == null ? ErrorCode.UNKNOWN_SERVICE
          : check.apply(Audience.of(FleetPatterns.onNode(asked, dashboard, node, NodeEndpoint.names(views))), view);
      return refused == null ? view : FleetDirectory.failure(refused, Audience.refusal(refused, service));
    });
  }
}
