package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /ws push feed (DESIGN §5), per identity: each socket belongs to the identity that opened it
 * and is a {@link Feed} subscriber, pushed every {@link PushKind} as that identity may see it (a
 * foreign service is never pushed), with the actions that identity may do. It is sent a snapshot
 * when it opens, and answers a client's {@code ping} and {@code action} messages.
 *
 * <p>A session's socket is closed (1008) when the session expires, and every socket is closed
 * (1012) when the users file changes, so each client comes back under its current rights. Every
 * socket is pinged each ping interval; one that has not answered the previous ping by then is a
 * dead peer and is closed (1001), so it holds no connection and no fan-out slot.
 */
final class WebSocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);
  static final short NO_PONG = 1001;
  private static final String TRANSPORT = "ws";

  private final Vertx vertx;
  private final Feed feed;
  /** This hub's open sockets, for the pings and the {@code ws_clients} gauge. */
  private final Set<ServerWebSocket> sockets = new LinkedHashSet<>();
  private final LogFollows logs;
  /** Pinged and not answered yet. */
  private final Set<ServerWebSocket> awaitingPong = new HashSet<>();

  /** A socket as a subscriber: its identity's rights are its key, made once per socket. */
  private record Socket(ServerWebSocket ws, Identity who, Object rights, long seq) implements Feed.Subscriber {
    @Override
    public boolean closed() {
      return ws.isClosed();
    }

    @Override
    public boolean takes(PushKind kind) {
      return true;
    }

    @Override
    public JsonObject frame(PushKind kind, JsonObject seen) {
      return kind.frame(seen);
    }

    /**
     * The frame's bytes are wrapped, not copied: {@code writeTextMessage} would encode the same
     * text again for each of thousands of sockets. Vert.x has no public text frame made from bytes.
     */
    @Override
    public Future<Void> write(byte[] frame) {
      return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(frame), true));
    }

    @Override
    public void close(short code, String reason) {
      ws.close(code, reason);
    }
  }

  WebSocketHub(Vertx vertx, Feed feed, long pingIntervalMs) {
    this.vertx = vertx;
    this.feed = feed;
    this.logs = new LogFollows(vertx);
    vertx.setPeriodic(pingIntervalMs, id -> ping());
  }

  int size() {
    return sockets.size();
  }

  /** @param expiresEpochSeconds when the caller's session ends (the socket is closed then); 0: never */
  void accept(ServerWebSocket ws, Identity who, long expiresEpochSeconds, SnapshotEncoding encoding) {
    sockets.add(ws);
    feed.add(ws, new Socket(ws, who, Feed.rights(TRANSPORT, who), feed.nextSeq()), expiresEpochSeconds);
    ws.pongHandler(data -> awaitingPong.remove(ws));
    ws.closeHandler(v -> {
      feed.remove(ws);
      sockets.remove(ws);
      awaitingPong.remove(ws);
      logs.leave(ws);
    });
    ws.exceptionHandler(e -> LOG.debug("/ws client {}: {}", ws.remoteAddress(), e.toString()));
    MessageAssembler messages = new MessageAssembler(ws, ServerOptionsFactory.MAX_WS_MESSAGE,
        text -> onText(ws, who, text),
        () -> sendError(ws, ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text"));
    ws.frameHandler(messages::frame);
    sendSnapshot(ws, who, encoding);
  }

  /** Closes the sockets that did not answer the last ping, and pings the others. */
  private void ping() {
    for (ServerWebSocket ws : Set.copyOf(sockets)) {
      if (awaitingPong.contains(ws)) {
        awaitingPong.remove(ws);
        ClientFaults.HTTP.log("/ws client " + ws.remoteAddress() + " did not answer a ping: closed");
        ws.close(NO_PONG, "no answer to ping");
      } else if (!ws.isClosed()) {
        awaitingPong.add(ws);
        ws.writePing(Buffer.buffer("sm"));
      }
    }
  }

  /**
   * The opening snapshot, then any standing config errors. A gzip snapshot is compressed right here,
   * on the loop (a few milliseconds for thousands of services, at {@link SnapshotEncoding#LEVEL}), so
   * no push to this socket can overtake it.
   */
  private void sendSnapshot(ServerWebSocket ws, Identity who, SnapshotEncoding encoding) {
    vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .onSuccess(reply -> {
          if (!ws.isClosed()) {
            String frame = WireFormat.snapshot(feed.views(who, reply.body().getJsonArray("services"))).encode();
            if (encoding == SnapshotEncoding.GZIP) {
              ws.writeBinaryMessage(SnapshotEncoding.gzip(frame));
            } else {
              ws.writeTextMessage(frame);
            }
            JsonObject errors = feed.configErrorsFor(who);
            if (errors != null) {
              ws.writeTextMessage(errors.encode());
            }
          }
        })
        .onFailure(e -> sendError(ws, ErrorCode.UNAVAILABLE, "status not available: " + e.getMessage()));
  }

  private void onText(ServerWebSocket ws, Identity who, String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      sendError(ws, ErrorCode.BAD_REQUEST, "not a JSON object");
      return;
    }
    String type = WireFormat.typeOf(msg);
    if (type == null) {
      sendError(ws, ErrorCode.BAD_REQUEST, "missing \"type\"");
      return;
    }
    switch (type) {
      case WireFormat.PING -> ws.writeTextMessage(WireFormat.pong());
      case WireFormat.ACTION -> action(ws, who, msg);
      case WireFormat.LOGS -> logs.request(ws, who, msg);
      default -> sendError(ws, ErrorCode.BAD_REQUEST, "unknown message type \"" + type + "\"");
    }
  }

  private void action(ServerWebSocket ws, Identity who, JsonObject msg) {
    Object id = msg.getValue("id");
    if (!(msg.getValue("service") instanceof String service) || !(msg.getValue("action") instanceof String action)) {
      sendError(ws, ErrorCode.BAD_REQUEST, "an action needs string \"service\" and \"action\"");
      return;
    }
    Object node = msg.getValue(WireFormat.NODE);
    if (node != null && !(node instanceof String)) {
      sendError(ws, ErrorCode.BAD_REQUEST, "\"" + WireFormat.NODE + "\" names a node: a string");
      return;
    }
    // Any "user" the client put in the message is ignored: the socket's identity acts.
    (node == null ? Actions.request(vertx, service, action, who)
        : Actions.onNode(vertx, (String) node, Actions.body(service, action, who))).onComplete(ar -> {
      JsonObject result = WireFormat.result(ar.result(), id);
      if (!ws.isClosed()) {
        ws.writeTextMessage(result.encode());
      }
    });
  }

  private void sendError(ServerWebSocket ws, ErrorCode code, String message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(WireFormat.error(code, message).encode());
    }
  }
}
