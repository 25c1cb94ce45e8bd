package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Cross-site request checks. Browsers always send {@code Origin} on WebSocket handshakes and on
 * POSTs; a page on another site can make a browser send our cookie, but not forge that header.
 */
final class SameOrigin {
  private SameOrigin() {}

  /** True when {@code Origin} names this server as the request reached it ({@code scheme://Host}). */
  static boolean matches(HttpServerRequest request, boolean tls) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    String host = request.getHeader(HttpHeaders.HOST);
    if (origin == null || host == null) {
      return false;
    }
    String expected = (tls ? "https://" : "http://") + host;
    return origin.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
  }

  /** No {@code Origin} at all (curl, scripts) or our own. */
  static boolean absentOrMatches(HttpServerRequest request, boolean tls) {
    return request.getHeader(HttpHeaders.ORIGIN) == null || matches(request, tls);
  }

  /**
   * True when the request may go on (no {@code Origin}, or our own); else it is answered 403 with
   * {@code message} and logged as a client fault, naming it as {@code what} ("/ws upgrade").
   */
  static boolean admit(RoutingContext ctx, boolean tls, String what, String message) {
    if (absentOrMatches(ctx.request(), tls)) {
      return true;
    }
    ClientFaults.AUTH.log(what + " from foreign origin "
        + ErrorCode.quote(String.valueOf(ctx.request().getHeader(HttpHeaders.ORIGIN))) + " refused");
    HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, message);
    return false;
  }
}
