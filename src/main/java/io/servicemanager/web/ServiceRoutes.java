package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.history.HistoryQuery;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.insight.OperationStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service routes of the REST API: the list, one service, an action, the history. Every answer
 * comes from {@code servicemanager.snapshot}, {@code servicemanager.action} or the history store,
 * as the caller's {@link Audience} may see it.
 */
final class ServiceRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRoutes.class);

  private final Vertx vertx;
  private final OperationStore history;

  ServiceRoutes(Vertx vertx, OperationStore history) {
    this.vertx = vertx;
    this.history = history;
  }

  void listServices(RoutingContext ctx) {
    ServiceViews.all(vertx)
        .onSuccess(list -> HttpVerticle.json(ctx, 200, new JsonObject().put("services", Audience.of(AuthRoutes.who(ctx)).views(list))))
        .onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  void getService(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ServiceViews.all(vertx)
        .onSuccess(list -> list.stream()
            .map(JsonObject.class::cast)
            .filter(view -> view.getString("name").equals(name))
            .map(Audience.of(AuthRoutes.who(ctx))::view)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .ifPresentOrElse(view -> HttpVerticle.json(ctx, 200, view),
                () -> HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(name))))
        .onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  void act(RoutingContext ctx) {
    Actions.request(vertx, ctx.pathParam("name"), ctx.pathParam("action"), AuthRoutes.who(ctx))
        .onSuccess(answer -> {
          HttpVerticle.json(ctx, Actions.httpStatus(answer), WireFormat.apiAnswer(answer));
        });
  }

  void history(RoutingContext ctx) {
    HistoryQuery.Parsed parsed = HistoryQuery.parse(ctx.queryParams());
    if (!parsed.valid()) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, parsed.error());
      return;
    }
    Audience audience = Audience.of(AuthRoutes.who(ctx));
    String service = parsed.query().service();
    if (service == null) {
      readHistory(ctx, audience.history(), null, parsed.query().limit());
      return;
    }
    // A service the caller cannot see is 404, exactly like one that was never configured.
    ServiceViews.all(vertx)
        .onSuccess(list -> {
          boolean visible = list.stream().map(JsonObject.class::cast)
              .anyMatch(view -> view.getString("name").equals(service) && audience.view(view) != null);
          if (visible) {
            readHistory(ctx, null, service, parsed.query().limit());
          } else {
            HttpVerticle.fail(ctx, ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(service));
          }
        })
        .onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  /** @param visible the caller's services, null for every one; @param service null for all of them */
  private void readHistory(RoutingContext ctx, java.util.Set<String> visible, String service, int limit) {
    history.query(new OperationQuery(visible, service, null, null, limit))
        .onSuccess(page -> HttpVerticle.json(ctx, 200, new JsonObject().put("entries", new JsonArray(page.entries()))))
        .onFailure(e -> {
          LOG.error("reading the history failed", e);
          HttpVerticle.fail(ctx, ErrorCode.INTERNAL_ERROR, "the history cannot be read: " + e.getMessage());
        });
  }
}
