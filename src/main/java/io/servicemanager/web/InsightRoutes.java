package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The insight routes (DESIGN §3): one service's timeline and statistics, the caller's services
 * ranked by trouble, and all the caller's timelines over one window (the cards' small bars). Who
 * may see which service is the caller's {@link Audience}: a service that is not theirs is 404
 * {@code unknown_service}, as everywhere; one of theirs whose state is hidden is 403
 * {@code state_hidden} — it is listed for them, so a 404 would be a lie, and it has no timeline and
 * no statistics for anyone; the routes across services leave both out. The figures come from
 * {@code servicemanager.insight.*}.
 */
final class InsightRoutes {
  private final Vertx vertx;

  InsightRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** After authentication, before the API's catch-all. */
  void mount(Router router) {
    router.get("/api/services/:name/timeline").handler(this::timeline);
    router.get("/api/services/:name/stats").handler(this::stats);
    router.get("/api/insights").handler(this::insights);
    router.get("/api/timeline").handler(this::timelines);
  }

  private void timeline(RoutingContext ctx) {
    InsightQuery q = InsightQuery.timeline(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    visible(ctx).onSuccess(name -> name.ifPresent(service -> ask(ctx, Addresses.INSIGHT_TIMELINE, q.range()
        .put("service", service).put("limit", q.limit()))));
  }

  private void stats(RoutingContext ctx) {
    InsightQuery q = InsightQuery.window(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    visible(ctx).onSuccess(name -> name.ifPresent(service -> ask(ctx, Addresses.INSIGHT_STATS, q.ofWindow()
        .put("service", service))));
  }

  private void insights(RoutingContext ctx) {
    acrossServices(ctx, Addresses.INSIGHT_RANKING, InsightQuery::ofWindow);
  }

  /** Every card's small bar from one request: the timelines of the caller's services it may see the state of. */
  private void timelines(RoutingContext ctx) {
    acrossServices(ctx, Addresses.INSIGHT_TIMELINES, q -> q.ofWindow().put("limit", InsightQuery.DEFAULT_LIMIT));
  }

  /** Asks {@code address} about {@code ?window=} for the caller's services whose state it may see, in their order. */
  private void acrossServices(RoutingContext ctx, String address, Function<InsightQuery, JsonObject> question) {
    InsightQuery q = InsightQuery.window(ctx.queryParams(), Instant.now()).orFail(ctx);
    if (q == null) {
      return;
    }
    Audience audience = Audience.of(AuthRoutes.who(ctx));
    ServiceViews.all(vertx).onSuccess(views -> {
      List<String> services = views.stream().map(JsonObject.class::cast).filter(audience::seesStateOf)
          .map(v -> v.getString("name")).toList();
      ask(ctx, address, question.apply(q).put("services", new JsonArray(services)));
    }).onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  /** The path's service when the caller may see its state; otherwise answered here, and empty. */
  private Future<Optional<String>> visible(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Audience audience = Audience.of(AuthRoutes.who(ctx));
    return ServiceViews.all(vertx).map(views -> {
      JsonObject view = views.stream().map(JsonObject.class::cast).filter(v -> name.equals(v.getString("name")))
          .findFirst().map(audience::view).orElse(null);
      if (view == null) {
        HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(name));
        return Optional.<String>empty();
      }
      if (!audience.seesStateOf(view)) {
        HttpVerticle.fail(ctx, ErrorCode.STATE_HIDDEN, name + "'s state is hidden (status_check_allowed: false):"
            + " it has no timeline and no statistics");
        return Optional.<String>empty();
      }
      return Optional.of(name);
    }).onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  private void ask(RoutingContext ctx, String address, JsonObject question) {
    vertx.eventBus().<JsonObject>request(address, question)
        .onSuccess(m -> HttpVerticle.json(ctx, 200, m.body()))
        .onFailure(e -> {
          boolean down = e instanceof ReplyException r && r.failureCode() < 0;
          HttpVerticle.fail(ctx, down ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
              down ? "insight is not available" : "insight cannot be read: " + e.getMessage());
        });
  }
}
