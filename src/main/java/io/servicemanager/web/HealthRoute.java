package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/health}, for probes: up or down, nothing about any service, so no credentials
 * needed. Follows {@code servicemanager.bus}; only until it has seen a change (it may have been
 * made after the last one) does it ask the status verticle, whose snapshot carries the bus state.
 */
final class HealthRoute {
  private final Vertx vertx;
  /** "connected" or "disconnected" as last published on {@code servicemanager.bus}; null: none seen yet. */
  private String busState;

  HealthRoute(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.BUS_STATE,
        m -> busState = m.body().getBoolean("connected", false) ? "connected" : "disconnected");
  }

  void health(RoutingContext ctx) {
    Future<String> dbus = busState != null ? Future.succeededFuture(busState)
        : vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
            .map(m -> m.body().getString("dbus"))
            .onSuccess(state -> {
              if (busState == null) { // a change published meanwhile is newer
                busState = state;
              }
            });
    dbus.otherwise("disconnected").onSuccess(state -> {
      boolean up = "connected".equals(state);
      HttpVerticle.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("dbus", state));
    });
  }
}
