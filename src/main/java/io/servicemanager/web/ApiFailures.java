package io.servicemanager.web;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.servicemanager.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request that goes wrong is answered {@code {"error": CODE, "message": TEXT}}: a request
 * Netty cannot parse (400, 414, 431), one the router cannot (a bad %-escape), a failure in a handler
 * (the body limit's 413 among them), a path without a route (404) or without the method (405).
 * A client's mistake goes to {@link ClientFaults}; only a 5xx, our own fault, is logged at ERROR.
 */
final class ApiFailures {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFailures.class);
  /** The statuses the router may answer on its own, each given a JSON body here. */
  private static final List<Integer> ROUTER_STATUSES = List.of(400, 401, 403, 404, 405, 408, 413, 414, 415, 431, 500,
      501, 503);

  private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");
  private final Router router;

  /** Gives JSON bodies to what {@code router} answers itself, before or after every route. */
  ApiFailures(Router router) {
    this.router = router;
    for (int status : ROUTER_STATUSES) {
      router.errorHandler(status, this::failure);
    }
  }

  /**
   * A route's failure handler: the status the failure carries (a 4xx from Vert.x Web's own
   * handlers, such as the body limit's 413), else 500.
   */
  void failure(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    int status = ctx.failure() instanceof HttpException e ? e.getStatusCode() : ctx.statusCode();
    if (status < 400) {
      status = 500;
    }
    if (status >= 500 && clientsFault(req, status)) {
      status = 400;
    }
    ErrorCode code = ErrorCode.forStatus(status);
    if (status >= 500) {
      LOG.error("{} {} failed", req.method(), ErrorCode.quote(req.path() == null ? "" : req.path()), ctx.failure());
    } else if (status != 401 && status != 403 && status != 404 && status != 405) { // those are ordinary answers
      ClientFaults.HTTP.log(describe(req) + ": " + status + " " + code.code()
          + (ctx.failure() == null ? "" : " (" + ctx.failure().getClass().getSimpleName() + ")"));
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for an answer: the connection is all that can still say something went wrong.
      if (!response.ended()) {
        req.connection().close();
      }
      return;
    }
    if (!req.isEnded()) {
      closeAfterAnswer(ctx);
    }
    if (status == 405) {
      response.putHeader(HttpHeaders.ALLOW, String.join(", ", allowed(req.path())));
    }
    HttpVerticle.fail(ctx, code, message(code));
  }

  /**
   * A 5xx that is the client's doing: Vert.x Web fails with 500 on a path it cannot decode (a bad
   * %-escape, met while matching routes) and with 501 on an HTTP version or method it does not know;
   * and a failure while the body is still arriving comes from the body (broken chunk framing, a reset).
   */
  private static boolean clientsFault(HttpServerRequest req, int status) {
    return status == 501 || !req.isEnded() || req.path() == null || BAD_ESCAPE.matcher(req.path()).find();
  }

  /** The rest of an unread body would be taken for the next request: this connection ends with the answer. */
  static void closeAfterAnswer(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ctx.addEndHandler(ar -> ctx.request().connection().close());
  }

  /**
   * For a request Netty could not parse: no route has seen it. Vert.x closes the connection after
   * this answer.
   */
  static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    ErrorCode code = cause instanceof TooLongHttpLineException ? ErrorCode.URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
            ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.BAD_REQUEST;
    ClientFaults.HTTP.log("unparsable request from " + req.remoteAddress() + ": " + code.httpStatus() + " "
        + code.code() + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"));
    req.response().setStatusCode(code.httpStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(WireFormat.apiError(code, message(code)).encode());
  }

  /**
   * The last /api handler: no route matched. 405 when another method of the path has a route,
   * else 404.
   */
  void noRoute(RoutingContext ctx) {
    Set<String> allowed = allowed(ctx.request().path());
    if (allowed.isEmpty()) {
      HttpVerticle.fail(ctx, ErrorCode.NOT_FOUND, "no such API route");
    } else {
      ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
      HttpVerticle.fail(ctx, ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method().name().length() > 16 ? "method not allowed here"
              : ctx.request().method().name() + " is not allowed here; use " + String.join(" or ", allowed));
    }
  }

  /** The methods the router's routes with a fixed method take for {@code path} (":name" matches one segment). */
  private Set<String> allowed(String path) {
    Set<String> methods = new TreeSet<>();
    if (path == null) {
      return methods;
    }
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()
          && !route.getPath().endsWith("*") && path.matches(route.getPath().replaceAll(":[a-z]+", "[^/]+"))) {
        route.methods().stream().map(HttpMethod::name).forEach(methods::add);
      }
    }
    return methods;
  }

  private static String message(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> "no such route";
      case METHOD_NOT_ALLOWED -> "this method is not allowed here";
      case REQUEST_TIMEOUT -> "the request was not sent in time";
      case PAYLOAD_TOO_LARGE -> "the request body is over the limit of " + ServerOptionsFactory.MAX_BODY + " bytes";
      case URI_TOO_LONG -> "the request line is over the limit of " + ServerOptionsFactory.MAX_INITIAL_LINE + " bytes";
      case HEADERS_TOO_LARGE -> "the request headers are over the limit of " + ServerOptionsFactory.MAX_HEADERS + " bytes";
      case UNAUTHORIZED -> "credentials needed";
      case FORBIDDEN -> "not allowed";
      case INTERNAL_ERROR -> "internal error; the server's log says more";
      default -> "malformed request: check the URI's %-escapes, the method, the content type and the body";
    };
  }

  private static String describe(HttpServerRequest req) {
    return req.method() + " " + ErrorCode.quote(req.path() == null ? "" : req.path()) + " from " + req.remoteAddress();
  }
}
