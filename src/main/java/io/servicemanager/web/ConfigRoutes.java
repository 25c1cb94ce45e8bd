package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The configuration itself, for identities that may see it ({@link Audience#configuration}): the
 * service units that exist but are not configured (read from systemd on each request, never
 * polled), and the history of accepted configurations. Anyone else gets 403 {@code forbidden}.
 */
final class ConfigRoutes {
  private static final int MAX_LIMIT = 1000;
  private final Vertx vertx;

  ConfigRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** After authentication, before the API's catch-all. */
  void mount(Router router) {
    router.get("/api/config/unmanaged").handler(this::unmanaged);
    router.get("/api/config/history").handler(this::history);
  }

  private void unmanaged(RoutingContext ctx) {
    if (!allowed(ctx)) {
      return;
    }
    String system = ctx.queryParams().get("include_system");
    if (system != null && !system.equals("true") && !system.equals("false")) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, "include_system must be true or false");
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.UNMANAGED, new JsonObject().put("include_system", "true".equals(system)))
        .onSuccess(m -> {
          if (m.body().containsKey("error")) {
            HttpVerticle.fail(ctx, ErrorCode.fromCode(m.body().getString("error")), m.body().getString("message"));
          } else {
            HttpVerticle.json(ctx, 200, m.body());
          }
        })
        .onFailure(e -> unavailable(ctx, e, "the units cannot be listed"));
  }

  private void history(RoutingContext ctx) {
    if (!allowed(ctx)) {
      return;
    }
    String raw = ctx.queryParams().get("limit");
    int limit = 100;
    if (raw != null) {
      limit = raw.matches("\\d{1,4}") ? Integer.parseInt(raw) : -1;
      if (limit < 1 || limit > MAX_LIMIT) {
        HttpVerticle.fail(ctx, ErrorCode.INVALID_LIMIT, "limit must be a whole number from 1 to " + MAX_LIMIT);
        return;
      }
    }
    vertx.eventBus().<JsonObject>request(Addresses.CONFIG_HISTORY, new JsonObject().put("limit", limit))
        .onSuccess(m -> HttpVerticle.json(ctx, 200, m.body()))
        .onFailure(e -> unavailable(ctx, e, "the configuration history cannot be read"));
  }

  /** True when the caller may see the configuration; otherwise answered here. */
  private static boolean allowed(RoutingContext ctx) {
    Identity who = AuthRoutes.who(ctx);
    if (Audience.of(who).configuration()) {
      return true;
    }
    HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, Identity.ANONYMOUS.equals(who.name())
        ? "the configuration is shown only to a signed-in user who sees every service"
        : "the configuration names every service; " + who.name() + " may see only some");
    return false;
  }

  private static void unavailable(RoutingContext ctx, Throwable e, String what) {
    boolean absent = e instanceof ReplyException r && r.failureCode() < 0;
    HttpVerticle.fail(ctx, absent ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
        absent ? what + ": not available here" : what + ": " + e.getMessage());
  }
}
