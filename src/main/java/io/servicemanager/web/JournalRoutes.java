package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.journal.JournalCommand;
import io.servicemanager.journal.JournalVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code GET /api/services/{name}/logs} and {@code /resources}: a service's journal and its resource
 * figures, read when asked, for a caller whose {@link Audience} allows it. A service the caller
 * cannot see is 404, as if it were never configured.
 */
final class JournalRoutes {
  static final int DEFAULT_LINES = 100;

  private final Vertx vertx;

  JournalRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/api/services/:name/logs").handler(this::logs);
    router.get("/api/services/:name/resources").handler(this::resources);
  }

  private void logs(RoutingContext ctx) {
    JsonObject request = journalQuestion(ctx);
    if (request != null) {
      answer(ctx, Addresses.JOURNAL, request, Audience::logs);
    }
  }

  /**
   * The journal question of the query ({@code lines}, {@code before}), as every journal route takes it;
   * null when it is bad, after answering the request {@code bad_request}.
   */
  static JsonObject journalQuestion(RoutingContext ctx) {
    List<String> linesParam = ctx.queryParam("lines");
    List<String> beforeParam = ctx.queryParam("before");
    Integer lines = linesParam.isEmpty() ? Integer.valueOf(DEFAULT_LINES) : parseLines(linesParam);
    if (lines == null) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, "lines must be one whole number from 1 to "
          + JournalVerticle.MAX_LINES);
      return null;
    }
    String before = beforeParam.isEmpty() ? null : beforeParam.get(0);
    if (beforeParam.size() > 1 || (before != null && !JournalCommand.validCursor(before))) {
      HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, "before must be one journal cursor, as an entry's \"cursor\"");
      return null;
    }
    return new JsonObject().put("lines", lines).put("before", before);
  }

  private void resources(RoutingContext ctx) {
    answer(ctx, Addresses.RESOURCES, new JsonObject(), Audience::resources);
  }

  /** Finds the caller's view of the service, asks {@code check} whether they may, then asks {@code address} about its unit. */
  private void answer(RoutingContext ctx, String address, JsonObject request,
      BiFunction<Audience, JsonObject, ErrorCode> check) {
    String name = ctx.pathParam("name");
    Audience audience = Audience.of(AuthRoutes.who(ctx));
    ServiceViews.named(vertx, name).onSuccess(view -> {
      ErrorCode refused = check.apply(audience, view);
      if (refused != null) {
        HttpVerticle.fail(ctx, refused, Audience.refusal(refused, name));
        return;
      }
      vertx.eventBus().<JsonObject>request(address, request.put("unit", view.getString("unit")))
          .onSuccess(reply -> {
            JsonObject body = reply.body();
            if (body.getValue("error") instanceof String code) {
              HttpVerticle.fail(ctx, ErrorCode.fromCode(code), body.getString("message"));
            } else {
              HttpVerticle.json(ctx, 200, body.put("service", name));
            }
          })
          .onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "no answer: " + e.getMessage()));
    }).onFailure(e -> HttpVerticle.fail(ctx, ErrorCode.UNAVAILABLE, "status not available"));
  }

  private static Integer parseLines(List<String> values) {
    if (values.size() != 1 || !values.get(0).matches("[0-9]{1,4}")) {
      return null;
    }
    int n = Integer.parseInt(values.get(0));
    return n >= 1 && n <= JournalVerticle.MAX_LINES ? n : null;
  }
}
