package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * What every request passes before any route: the security headers (and Vary) on every answer, and for /api a
 * query that can be decoded and a body that is bounded JSON. Each refusal is a clear API error.
 */
final class RequestGuards {
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  private final boolean tls;
  private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(ServerOptionsFactory.MAX_BODY);

  RequestGuards(boolean tls) {
    this.tls = tls;
  }

  void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
    if (tls) {
      ctx.response().headers().set("Strict-Transport-Security", "max-age=31536000");
    }
    // Any answer may go out compressed or not by Accept-Encoding: a cache must keep them apart. Added
    // last, as a route may set a Vary of its own (/metrics varies by Accept).
    ctx.addHeadersEndHandler(v -> varyOnEncoding(ctx.response().headers()));
    ctx.next();
  }

  static void varyOnEncoding(MultiMap headers) {
    String vary = headers.get(HttpHeaders.VARY);
    if (vary == null) {
      headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    } else if (!vary.toLowerCase(Locale.ROOT).contains("accept-encoding") && !vary.equals("*")) {
      headers.set(HttpHeaders.VARY, vary + ", " + HttpHeaders.ACCEPT_ENCODING);
    }
  }

  /**
   * Every later handler reads the query (and the body handler merges a form into it): one that
   * cannot be decoded is refused here, once, rather than thrown where nobody answers.
   */
  void decodableQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
      ctx.queryParams();
    } catch (RuntimeException e) {
      refuse(ctx, "query not decodable",
          "the query string is not valid: a % must be followed by two hex digits of UTF-8");
      return;
    }
    ctx.next();
  }

  /**
   * Only POST has a body here, and only JSON: a form or multipart body is refused before Vert.x
   * would decode it (on any other method its decoder throws; bodies of other methods are ignored).
   * Every body is bounded (413 over the limit); none is a file upload, which the default handler
   * would write into the working directory.
   */
  void body(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
      refuse(ctx, "form body refused", "form bodies are not accepted; send JSON (application/json) or no body");
      return;
    }
    bodyHandler.handle(ctx);
  }

  /** A 400 that also closes the connection when the request is not read to its end. */
  private static void refuse(RoutingContext ctx, String logged, String message) {
    ClientFaults.HTTP.log(ctx.request().method() + " " + ErrorCode.quote(ctx.request().path()) + " from "
        + ctx.request().remoteAddress() + ": " + logged);
    if (!ctx.request().isEnded()) {
      ApiFailures.closeAfterAnswer(ctx);
    }
    HttpVerticle.fail(ctx, ErrorCode.BAD_REQUEST, message);
  }
}
