package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SockJS event-bus bridge at {@code /eventbus} (DESIGN §6), under the rules of {@link BridgeRules}.
 *
 * <p>Every HTTP request of a SockJS session (the WebSocket upgrades, each XHR poll, stream and send)
 * is authenticated like REST and /ws, foreign {@code Origin} refused; the socket takes the identity
 * of the request that opened it, and a session's later requests must come from that same identity
 * ({@link SockJsSessionOwners}). Only {@code /info} needs no credentials: it carries no data, and
 * sockjs-client sends it without the headers it gives its transports. The bridge's hook
 * ({@link SockJsEvents}) then holds each frame to that identity.
 */
final class SockJsBridge {
  /** The official client pings every 5 s; a socket silent this long is closed. */
  private static final long PING_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final Feed feed;
  private final Authenticator authenticator;
  private final AuthRoutes auth;
  private final boolean tls;
  private final long idleTimeoutMs;
  private SockJsSessionOwners owners;

  SockJsBridge(Vertx vertx, Feed feed, Authenticator authenticator, AuthRoutes auth, boolean tls, long idleTimeoutMs) {
    this.vertx = vertx;
    this.feed = feed;
    this.authenticator = authenticator;
    this.auth = auth;
    this.tls = tls;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Mounts the bridge: {@code path} like {@code /eventbus}. */
  void mount(Router router, String path) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .setPingTimeout(PING_TIMEOUT_MS)
        // An action's answer comes when systemd's job is done, like over REST.
        .setReplyTimeout(Actions.REQUEST_TIMEOUT_MS)
        .setMaxHandlersPerSocket(16);
    BridgeRules.OUTBOUND.forEach(a -> options.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    BridgeRules.INBOUND.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    // Only the hook ever sends there (an action naming a node); a client's own send to it is refused.
    options.addInboundPermitted(new PermittedOptions().setAddress(Addresses.FLEET_ACTION));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.FLEET_ACTION,
        m -> BridgeRules.toNode(vertx, m.body()).onSuccess(m::reply));
    // JSONP and iframe transports arrive from script tags without an Origin header: not offered.
    // No JSESSIONID: it only serves sticky load balancers, and our own cookie identifies the caller.
    SockJSHandlerOptions transports = new SockJSHandlerOptions().setRegisterWriteHandler(false)
        .setInsertJSESSIONID(false)
        // A streaming answer writes nothing but heartbeats: they must come before the idle timeout cuts it.
        .setHeartbeatInterval(Math.min(SockJSHandlerOptions.DEFAULT_HEARTBEAT_INTERVAL, idleTimeoutMs / 2))
        .addDisabledTransport("JSON_P").addDisabledTransport("HTML_FILE").addDisabledTransport("EVENT_SOURCE");
    owners = new SockJsSessionOwners(vertx, path);
    router.get(path + "/info").handler(this::info);
    // The frames a client sends over XHR come as a POST body, read whole before the SockJS handler
    // sees it, bounded like a /ws message; it is read before authentication, as /api bodies are.
    Route send = router.post(path + "/:server/:session/xhr_send")
        .handler(BodyHandler.create(false).setBodyLimit(ServerOptionsFactory.MAX_WS_MESSAGE));
    send.failureHandler(ctx -> {
      if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
        HttpVerticle.fail(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "SockJS frames over " + ServerOptionsFactory.MAX_WS_MESSAGE + " bytes");
      } else {
        ctx.next();
      }
    });
    router.route(path + "/*").handler(this::authenticate);
    router.route(path + "/*").subRouter(SockJSHandler.create(vertx, transports).bridge(options, new SockJsEvents(feed, owners)::handle));
  }

  /**
   * SockJS's session information, ours rather than the library's: {@code origins} states our
   * same-origin rule (this server as the request reached it) where the library says any
   * ({@code *:*}). What the rule refuses, {@link #authenticate} refuses.
   */
  private void info(RoutingContext ctx) {
    if (!SameOrigin.absentOrMatches(ctx.request(), tls)) {
      HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "cross-origin request refused");
      return;
    }
    HostAndPort authority = ctx.request().authority();
    JsonArray origins = new JsonArray();
    if (authority != null) {
      origins.add(authority.host() + ":" + (authority.port() >= 0 ? authority.port() : tls ? 443 : 80));
    }
    JsonObject info = new JsonObject()
        .put("websocket", true)
        .put("cookie_needed", false)
        .put("origins", origins)
        // SockJS's field for clients without a random source of their own; nothing depends on it here.
        .put("entropy", ThreadLocalRandom.current().nextLong(1L << 32));
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store, no-cache, no-transform, must-revalidate, max-age=0")
        .end(info.encode());
  }

  private void authenticate(RoutingContext ctx) {
    if (!SameOrigin.admit(ctx, tls, "/eventbus request", "cross-origin request refused")) {
      return;
    }
    ctx.request().pause();
    authenticator.authenticate(ctx.request())
        .onSuccess(caller -> {
          ctx.request().resume();
          String path = ctx.request().path();
          if (!owners.admit(path, caller.identity().name())) {
            ClientFaults.AUTH.log("/eventbus request of " + caller.identity().name()
                + " into another identity's SockJS session refused");
            HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "this SockJS session belongs to another identity");
            return;
          }
          ctx.put(SockJsEvents.CALLER, caller);
          ctx.put(SockJsEvents.SESSION, owners.sessionOf(path));
          if (path.endsWith("/xhr") || path.endsWith("/xhr_streaming")) {
            // SockJS closes the connection once such an answer ends, without saying so: a client
            // keeping it alive sends its next xhr_send into a closing socket and loses the frames.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
          }
          ctx.next();
        })
        .onFailure(e -> {
          ctx.request().resume();
          auth.refuse(ctx, e, false);
        });
  }
}
