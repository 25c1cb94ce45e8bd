package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * The SockJS bridge's event hook: holds each frame to the socket's identity. Each socket is a
 * {@link Feed} subscriber: what it registered is written by the fan-out, as its identity may see it,
 * in the library's own {@code rec} envelope, so the library's copy of a publication is dropped. In,
 * the body of a {@code send} is rebuilt with the identity; out, replies are rewritten to what it
 * may see, and headers (internal ones like {@code signal-received-nanos}) never leave.
 */
final class SockJsEvents {
  /** Where {@link SockJsBridge} leaves the opening request's caller and SockJS session. */
  static final String CALLER = "bridge.caller";
  static final String SESSION = "bridge.session";

  private final Feed feed;
  private final SockJsSessionOwners owners;

  /** One socket; which of its reply addresses await a snapshot (filtered on the way out). */
  private static final class Connection extends BridgeSubscriber {
    final SockJSSocket socket;
    final Set<String> snapshotReplies = new HashSet<>();

    Connection(SockJSSocket socket, long seq) {
      super("sockjs", seq);
      this.socket = socket;
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

  SockJsEvents(Feed feed, SockJsSessionOwners owners) {
    this.feed = feed;
    this.owners = owners;
  }

  void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    Connection connection = feed.get(socket) instanceof Connection c ? c : null;
    switch (event.type()) {
      case SOCKET_CREATED -> event.complete(opened(socket));
      case SOCKET_CLOSED -> {
        if (connection != null) {
          feed.remove(socket);
          connection.markClosed();
        }
        RoutingContext opening = socket.routingContext();
        if (opening != null) {
          owners.release(opening.get(SESSION));
        }
        event.complete(true);
      }
      // The library registers the address too (its copies are dropped in RECEIVE).
      case REGISTER -> event.complete(connection != null
          && connection.register(event.getRawMessage().getString("address")));
      case UNREGISTER -> {
        if (connection != null) {
          connection.unregister(event.getRawMessage().getString("address"));
        }
        event.complete(true);
      }
      case SEND -> event.complete(send(connection, event.getRawMessage()));
      case RECEIVE -> event.complete(receive(connection, event.getRawMessage()));
      // Publishing is never let in; pings and the rest concern only the socket itself.
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
    Connection connection = new Connection(socket, feed.nextSeq());
    connection.identify(caller.identity());
    feed.add(socket, connection, caller.expiresEpochSeconds());
    return true;
  }

  /** Only action and snapshot requests, their bodies rebuilt for the socket's identity. */
  private boolean send(Connection connection, JsonObject frame) {
    String address = frame.getString("address");
    if (connection == null || !BridgeRules.maySend(address) || !BridgeRules.mayReplyTo(frame.getValue("replyAddress"))) {
      return false;
    }
    JsonObject request = BridgeRules.inbound(address, frame.getValue("body"), connection.who());
    frame.put("body", request);
    frame.remove("headers");
    if (BridgeRules.namesNode(address, request)) {
      // The library sends to the frame's address after this hook: to the one that routes to the node.
      frame.put("address", Addresses.FLEET_ACTION);
    }
    Object replyAddress = frame.getValue("replyAddress");
    if (Addresses.SNAPSHOT.equals(address) && replyAddress instanceof String reply) {
      connection.snapshotReplies.add(reply);
    }
    return true;
  }

  /**
   * A message the library is about to write to the socket: a publication on a registered address
   * (dropped: the feed writes it), or the reply to one of its requests, rewritten in place for the
   * identity; false drops it.
   */
  private boolean receive(Connection connection, JsonObject frame) {
    if (connection == null) {
      return false;
    }
    frame.remove("headers");
    String address = frame.getString("address");
    Object body = frame.getValue("body");
    if (connection.snapshotReplies.remove(address)) {
      frame.put("body", feed.snapshot(body, connection.who()));
      return true;
    }
    if (BridgeRules.OUTBOUND.contains(address)) {
      return false;
    }
    // Left: the answer to an action request, which the action verticle already made for this identity.
    return !frame.containsKey("replyAddress") && body instanceof JsonObject;
  }
}
