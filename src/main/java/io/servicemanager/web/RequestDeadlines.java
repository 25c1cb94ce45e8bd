package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.servicemanager.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * How long an HTTP/1.1 client may take (slowloris): a connection must deliver its first request's
 * head within {@code headMs} of connecting, each request's body within {@code bodyMs} of its head
 * (else 408 {@code request_timeout}), and its next request's head within {@code keepAliveMs} of the
 * previous answer. Vert.x's own idle timeout only notices silence, not a head sent a byte at a time.
 * A WebSocket upgrade leaves here: its liveness is the pings' business ({@link WebSocketHub}).
 *
 * <p>One per HTTP instance; everything runs on that instance's event loop.
 */
final class RequestDeadlines {
  private final Vertx vertx;
  private final long headMs;
  private final long bodyMs;
  private final long keepAliveMs;
  /** The one timer running for each connection still under watch. */
  private final Map<HttpConnection, Long> timers = new HashMap<>();

  RequestDeadlines(Vertx vertx, long headMs, long bodyMs, long keepAliveMs) {
    this.vertx = vertx;
    this.headMs = headMs;
    this.bodyMs = bodyMs;
    this.keepAliveMs = keepAliveMs;
  }

  /** The deadlines config.yaml's {@code http} section sets. */
  static RequestDeadlines of(Vertx vertx, AppConfig.HttpLimits limits) {
    return new RequestDeadlines(vertx, 1000L * limits.headTimeoutSeconds(), 1000L * limits.bodyTimeoutSeconds(),
        1000L * limits.idleTimeoutSeconds());
  }

  /** The server's connection handler: the first head is due. */
  void connected(HttpConnection conn) {
    conn.closeHandler(v -> {
      cancel(conn);
      timers.remove(conn);
    });
    arm(conn, headMs, () -> {
      ClientFaults.HTTP.log("connection from " + conn.remoteAddress() + " sent no request head in " + headMs + " ms");
      conn.close();
    });
  }

  /** The router's first handler: the head is here; now the body, then the next head, are due. */
  void request(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpConnection conn = req.connection();
    if (!timers.containsKey(conn)) { // not under watch: upgraded or closed
      ctx.next();
      return;
    }
    cancel(conn);
    if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
      timers.remove(conn);
      ctx.next();
      return;
    }
    if (!req.isEnded()) {
      arm(conn, bodyMs, () -> bodyLate(ctx));
    }
    ctx.addEndHandler(ar -> {
      if (ar.succeeded() && timers.containsKey(conn)) {
        arm(conn, keepAliveMs, conn::close);
      }
    });
    ctx.next();
  }

  private void bodyLate(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (req.isEnded()) {
      return;
    }
    ClientFaults.HTTP.log(req.method() + " " + ErrorCode.quote(req.path()) + " from " + req.remoteAddress()
        + ": body not sent in " + bodyMs + " ms");
    if (ctx.response().headWritten()) {
      req.connection().close();
    } else {
      ApiFailures.closeAfterAnswer(ctx);
      HttpVerticle.fail(ctx, ErrorCode.REQUEST_TIMEOUT, "the request body was not sent within " + bodyMs / 1000 + " s");
    }
  }

  private void arm(HttpConnection conn, long ms, Runnable onExpiry) {
    timers.put(conn, vertx.setTimer(ms, id -> {
      if (timers.get(conn) != null && timers.get(conn) == id) {
        timers.put(conn, -1L);
        onExpiry.run();
      }
    }));
  }

  /** Stops the running timer; the connection stays under watch (absent only once closed or upgraded). */
  private void cancel(HttpConnection conn) {
    Long id = timers.get(conn);
    if (id != null && id >= 0) {
      vertx.cancelTimer(id);
    }
    if (id != null) {
      timers.put(conn, -1L);
    }
  }
}
