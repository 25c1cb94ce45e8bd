package io.servicemanager.web;

import io.micrometer.core.instrument.Timer;
import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /ws push feed (DESIGN §5), per identity: each socket belongs to the identity that opened it,
 * and is sent only the services that exist for that identity (a foreign service is never pushed),
 * with the actions that identity may do. One event-bus consumer per message kind for all sockets;
 * {@link FanOut} writes the frames, in order, a slice of sockets per event-loop turn, and a client
 * not yet sent a service's status when a newer one comes is sent only the newer one.
 *
 * <p>A session's socket is closed (1008) when the session expires, and every socket is closed
 * (1012) when the users file changes, so each client comes back under its current rights. Every
 * socket is pinged each ping interval; one that has not answered the previous ping by then is a
 * dead peer and is closed (1001), so it holds no connection and no fan-out slot.
 */
final class WebSocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);
  static final short NO_PONG = 1001;

  private final Vertx vertx;
  private final Subscribers<ServerWebSocket, Feed> sockets;
  private final FanOut fanOut;
  private final Timer pushLatency;
  /** Pinged and not answered yet. */
  private final java.util.Set<ServerWebSocket> awaitingPong = new java.util.HashSet<>();
  /** The last rejected reload's errors, until a valid reload: late joiners see them too. */
  private JsonObject configErrors;

  /**
   * A socket, its identity, and its rights as a key: sockets with equal rights get the same frame,
   * encoded once per message. Made once per socket, not once per socket per message.
   */
  private record Feed(ServerWebSocket ws, Identity who, Object rights, long seq) implements FanOut.Subscriber {
    Feed(ServerWebSocket ws, Identity who, long seq) {
      this(ws, who, Audience.of(who).key(), seq);
    }

    @Override
    public boolean closed() {
      return ws.isClosed();
    }

    /**
     * The frame's bytes are wrapped, not copied: {@code writeTextMessage} would encode the same
     * text again for each of thousands of sockets. Vert.x has no public text frame made from bytes.
     */
    @Override
    public Future<Void> write(byte[] frame) {
      return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(frame), true));
    }
  }

  WebSocketHub(Vertx vertx, Timer pushLatency, long pingIntervalMs) {
    this.vertx = vertx;
    this.pushLatency = pushLatency;
    this.sockets = new Subscribers<>(vertx, ServerWebSocket::close);
    vertx.setPeriodic(pingIntervalMs, id -> ping());
    this.fanOut = new FanOut(vertx.getOrCreateContext(), sockets::values);
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, this::status);
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> fanOut.publish(who ->
        Audience.of(who).operation(m.body()) == null ? null : WireFormat.operation(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.START_FAILED, m -> fanOut.publish(who ->
        Audience.of(who).startFailed(m.body()) == null ? null : WireFormat.startFailed(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.CATALOGUE, m -> {
      configErrors = null;
      fanOut.publish(who -> WireFormat.snapshot(Audience.of(who).views(m.body().getJsonArray("services"))));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, this::configRejected);
  }

  /**
   * A status change goes out to every socket (a newer one of the same service replaces it where it
   * is not written yet: {@link FanOut}); when it came from a signal, the time from that signal to
   * the last socket's frame written (handed to the OS) is the push latency.
   */
  private void status(Message<JsonObject> m) {
    String received = m.headers().get(Addresses.SIGNAL_RECEIVED_NANOS);
    long start = received == null ? 0 : Long.parseLong(received);
    fanOut.status(m.body().getString("name"), who -> {
      JsonObject view = Audience.of(who).view(m.body());
      return view == null ? null : WireFormat.status(view);
    }, received == null ? null : () -> pushLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  int size() {
    return sockets.size();
  }

  /** @param expiresEpochSeconds when the caller's session ends (the socket is closed then); 0: never */
  void accept(ServerWebSocket ws, Identity who, long expiresEpochSeconds) {
    sockets.add(ws, new Feed(ws, who, fanOut.nextSeq()), expiresEpochSeconds);
    ws.pongHandler(data -> awaitingPong.remove(ws));
    ws.closeHandler(v -> {
      sockets.remove(ws);
      awaitingPong.remove(ws);
    });
    ws.exceptionHandler(e -> LOG.debug("/ws client {}: {}", ws.remoteAddress(), e.toString()));
    MessageAssembler messages = new MessageAssembler(ws, HttpVerticle.MAX_WS_MESSAGE, text -> onText(ws, text),
        () -> sendError(ws, ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text"));
    ws.frameHandler(messages::frame);
    sendSnapshot(ws, who);
  }

  /** Closes the sockets that did not answer the last ping, and pings the others. */
  private void ping() {
    for (ServerWebSocket ws : sockets.connections()) {
      if (awaitingPong.contains(ws)) {
        awaitingPong.remove(ws);
        ClientFaults.HTTP.log("/ws client " + ws.remoteAddress() + " did not answer a ping: closed");
        ws.close(NO_PONG, "no answer to ping");
      } else if (!ws.isClosed()) {
        awaitingPong.add(ws);
        ws.writePing(io.vertx.core.buffer.Buffer.buffer("sm"));
      }
    }
  }

  /** The users file changed: every client reconnects and is let in, or not, under the new rights. */
  void closeAll() {
    sockets.closeAll();
  }

  private void sendSnapshot(ServerWebSocket ws, Identity who) {
    vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .onSuccess(reply -> {
          if (!ws.isClosed()) {
            ws.writeTextMessage(WireFormat.snapshot(Audience.of(who).views(reply.body().getJsonArray("services")))
                .encode());
            JsonObject errors = configErrors == null ? null : Audience.of(who).configErrors(configErrors);
            if (errors != null) {
              ws.writeTextMessage(errors.encode());
            }
          }
        })
        .onFailure(e -> sendError(ws, ErrorCode.UNAVAILABLE, "status not available: " + e.getMessage()));
  }

  /** A reload that failed validation: the last good configuration stays, and the dashboard says why. */
  private void configRejected(Message<JsonObject> m) {
    if (m.body().containsKey("errors")) {
      configErrors = WireFormat.configError(m.body().getJsonArray("errors"));
      // The errors may name any service: only identities that see every service are told.
      JsonObject errors = configErrors;
      fanOut.publish(who -> Audience.of(who).configErrors(errors));
    }
  }

  private void onText(ServerWebSocket ws, String text) {
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
      case WireFormat.ACTION -> action(ws, msg);
      default -> sendError(ws, ErrorCode.BAD_REQUEST, "unknown message type \"" + type + "\"");
    }
  }

  private void action(ServerWebSocket ws, JsonObject msg) {
    Object id = msg.getValue("id");
    if (!(msg.getValue("service") instanceof String service) || !(msg.getValue("action") instanceof String action)) {
      sendError(ws, ErrorCode.BAD_REQUEST, "an action needs string \"service\" and \"action\"");
      return;
    }
    // Any "user" the client put in the message is ignored: the socket's identity acts.
    Actions.request(vertx, service, action, sockets.get(ws).who()).onComplete(ar -> {
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
