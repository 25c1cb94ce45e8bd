package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SockJS event-bus bridge at {@code /eventbus} (DESIGN §6), under the rules of {@link BridgeRules}.
 *
 * <p>Every HTTP request of a SockJS session (the WebSocket upgrades, each XHR poll, stream and send)
 * is authenticated like REST and /ws, foreign {@code Origin} refused; the socket takes the identity
 * of the request that opened it, and a session's later requests must come from that same identity
 * ({@link SockJsSessionOwners}). Only {@code /info} needs no credentials: it carries no data, and
 * sockjs-client sends it without the headers it gives its transports. The bridge's hooks then hold
 * each frame to that identity: in, the body of a {@code send} is rebuilt with it; out, replies are
 * rewritten to what it may see, and headers (internal ones like {@code signal-received-nanos}) never
 * leave. Each socket is a {@link Feed} subscriber: what it registered is written by the fan-out, as
 * its identity may see it, in the bridge's own {@code rec} envelope; the library's own copy of a
 * publication is dropped.
 */
final class SockJsBridge {
  private static final String CALLER = "bridge.caller";
  private static final String SESSION = "bridge.session";
  /** The official client pings every 5 s; a socket silent this long is closed. */
  private static final long PING_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final AuthRoutes auth;
  private final boolean tls;
  private final Feed feed;
  private SockJsSessionOwners owners;

  /**
   * One socket: who it is, the addresses it registered (the feed writes their messages), and which
   * of its reply addresses await a snapshot (filtered on the way out).
   */
  private static final class Connection implements Feed.Subscriber {
    final SockJSSocket socket;
    final Identity who;
    final Object rights;
    final long seq;
    final Set<String> registered = new HashSet<>();
    final Set<String> snapshotReplies = new HashSet<>();
    boolean closed;

    Connection(SockJSSocket socket, Identity who, long seq) {
      this.socket = socket;
      this.who = who;
      this.rights = Feed.rights("sockjs", who);
      this.seq = seq;
    }

    @Override
    public Identity who() {
      return who;
    }

    @Override
    public Object rights() {
      return rights;
    }

    @Override
    public long seq() {
      return seq;
    }

    @Override
    public boolean closed() {
      return closed;
    }

    @Override
    public boolean takes(PushKind kind) {
      return kind.bridged() && registered.contains(kind.address());
    }

    @Override
    public JsonObject frame(PushKind kind, JsonObject seen) {
      return WireFormat.sockJsMessage(kind.address(), seen);
    }

    @Override
    public Future<Void> write(byte[] frame) {
      return socket.write(Buffer.buffer(frame));
    }

    @Override
    public void close(short code, String reason) {
      socket.close(code, reason);
    }
  }

  private final long idleTimeoutMs;

  SockJsBridge(Vertx vertx, Feed feed, Authenticator authenticator, AuthRoutes auth, boolean tls, long idleTimeoutMs) {
    this.vertx = vertx;
    this.feed = feed;
    this.idleTimeoutMs = idleTimeoutMs;
    this.authenticator = authenticator;
    this.auth = auth;
    this.tls = tls;
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
    router.route(path + "/*").subRouter(SockJSHandler.create(vertx, transports).bridge(options, this::event));
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
    if (!SameOrigin.absentOrMatches(ctx.request(), tls)) {
      ClientFaults.AUTH.log("/eventbus request from foreign origin "
          + ErrorCode.quote(String.valueOf(ctx.request().getHeader(HttpHeaders.ORIGIN))) + " refused");
      HttpVerticle.fail(ctx, ErrorCode.FORBIDDEN, "cross-origin request refused");
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
          ctx.put(CALLER, caller);
          ctx.put(SESSION, owners.sessionOf(path));
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

  private void event(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    switch (event.type()) {
      case SOCKET_CREATED -> event.complete(opened(socket));
      case SOCKET_CLOSED -> {
        if (feed.remove(socket) instanceof Connection c) {
          c.closed = true;
        }
        RoutingContext opening = socket.routingContext();
        if (opening != null) {
          owners.release(opening.get(SESSION));
        }
        event.complete(true);
      }
      case REGISTER -> event.complete(register(connection(socket), event.getRawMessage().getString("address")));
      case UNREGISTER -> {
        Connection connection = connection(socket);
        if (connection != null) {
          connection.registered.remove(event.getRawMessage().getString("address"));
        }
        event.complete(true);
      }
      case SEND -> event.complete(send(connection(socket), event.getRawMessage()));
      case RECEIVE -> event.complete(receive(connection(socket), event));
      // Publishing is never let in; pings, unregistering and the rest concern only the socket itself.
      case PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  private boolean opened(SockJSSocket socket) {
    RoutingContext ctx = socket.routingContext();
    Authenticator.Caller caller = ctx == null ? null : ctx.get(CALLER);
    if (caller == null) {
      return false; // never reached unauthenticated, but a socket without an identity gets nothing
    }
    feed.add(socket, new Connection(socket, caller.identity(), feed.nextSeq()), caller.expiresEpochSeconds());
    return true;
  }

  private Connection connection(SockJSSocket socket) {
    return feed.get(socket) instanceof Connection c ? c : null;
  }

  /** From now on the feed writes the address's messages to the socket; the library registers it too. */
  private static boolean register(Connection connection, String address) {
    if (connection == null || !BridgeRules.mayRegister(address)) {
      return false;
    }
    connection.registered.add(address);
    return true;
  }

  /** Only action and snapshot requests, their bodies rebuilt for the socket's identity. */
  private static boolean send(Connection connection, JsonObject frame) {
    String address = frame.getString("address");
    if (connection == null || !BridgeRules.maySend(address) || !BridgeRules.mayReplyTo(frame.getValue("replyAddress"))) {
      return false;
    }
    frame.put("body", BridgeRules.inbound(address, frame.getValue("body"), connection.who));
    frame.remove("headers");
    Object replyAddress = frame.getValue("replyAddress");
    if (Addresses.SNAPSHOT.equals(address) && replyAddress instanceof String reply) {
      connection.snapshotReplies.add(reply);
    }
    return true;
  }

  /**
   * A message about to be written to the socket by the library: a publication on a registered
   * address (dropped: the feed writes it), or the reply to one of its requests, rewritten in place
   * for the identity; false drops it.
   */
  private static boolean receive(Connection connection, BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    if (connection == null) {
      return false;
    }
    frame.remove("headers");
    String address = frame.getString("address");
    Object body = frame.getValue("body");
    if (connection.snapshotReplies.remove(address)) {
      frame.put("body", BridgeRules.snapshot(body, connection.who));
      return true;
    }
    if (BridgeRules.OUTBOUND.contains(address)) {
      return false;
    }
    // Left: the answer to an action request, which the action verticle already made for this identity.
    return !frame.containsKey("replyAddress") && body instanceof JsonObject;
  }
}
