package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP bridge connection ({@link TcpBridge}): reads its frames, authenticates it by the first
 * token it sends, dispatches {@code register}, {@code unregister} and {@code send} under the rules
 * of {@link BridgeRules}, and as a {@link Feed} subscriber is written the messages of the addresses
 * it registered.
 */
final class TcpConnection extends BridgeSubscriber implements TcpFrameReader.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final NetSocket socket;
  private final Feed feed;
  /** The token the connection was authenticated with; null until then. */
  private String token;

  TcpConnection(Vertx vertx, Feed feed, Authenticator authenticator, NetSocket socket) {
    super("tcp", feed.nextSeq());
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.socket = socket;
    this.feed = feed;
    socket.handler(new TcpFrameReader(TcpBridge.MAX_FRAME, this));
    socket.closeHandler(v -> {
      markClosed();
      feed.remove(socket);
    });
    socket.exceptionHandler(e -> LOG.debug("TCP bridge client {}: {}", socket.remoteAddress(), e.toString()));
  }

  @Override
  public JsonObject frame(PushKind kind, JsonObject seen) {
    return WireFormat.tcpMessage(kind.address(), seen);
  }

  /** The protocol's frame: a 4-byte big-endian length, then the JSON. */
  @Override
  public Future<Void> write(byte[] frame) {
    return socket.write(Buffer.buffer(4 + frame.length).appendInt(frame.length).appendBytes(frame));
  }

  /** The protocol has no close codes: the connection is just closed. */
  @Override
  public void close(short code, String reason) {
    socket.close();
  }

  @Override
  public void notJson() {
    FrameHelper.sendErrFrame(WireFormat.TCP_INVALID_JSON, socket);
  }

  @Override
  public void tooLarge(int length) {
    FrameHelper.sendErrFrame(WireFormat.tcpError("frame_too_large", "at most " + TcpBridge.MAX_FRAME + " bytes"), socket);
    socket.close();
  }

  @Override
  public void frame(JsonObject frame) {
    String type = java.util.Objects.requireNonNullElse(WireFormat.typeOf(frame), "");
    if (type.equals(WireFormat.TCP_PING)) {
      FrameHelper.sendFrame(WireFormat.TCP_PONG, socket);
      return;
    }
    JsonObject headers = frame.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    Object authorization = headers.getValue("authorization");
    if (authorization == null) {
      if (who() == null) {
        FrameHelper.sendErrFrame(WireFormat.tcpError(WireFormat.TCP_UNAUTHORIZED,
            "send headers.authorization: \"Bearer TOKEN\""), socket);
      } else {
        dispatch(type, frame);
      }
      return;
    }
    String presented = authorization instanceof String a && a.regionMatches(true, 0, "Bearer ", 0, 7)
        ? a.substring(7).strip() : "";
    if (who() != null) {
      if (presented.equals(token)) {
        dispatch(type, frame);
      } else {
        FrameHelper.sendErrFrame(WireFormat.tcpError(WireFormat.TCP_UNAUTHORIZED,
            "a connection keeps the token it started with"), socket);
      }
      return;
    }
    String client = socket.remoteAddress() == null ? "?" : socket.remoteAddress().host();
    authenticator.bearer(client, presented)
        .onSuccess(caller -> {
          identify(caller.identity());
          token = presented;
          dispatch(type, frame);
        })
        .onFailure(e -> {
          FrameHelper.sendErrFrame(WireFormat.tcpError(e instanceof AuthFailure f ? f.code.code()
              : WireFormat.TCP_UNAUTHORIZED, e.getMessage()), socket);
          socket.close();
        });
  }

  private void dispatch(String type, JsonObject frame) {
    String address = frame.getValue("address") instanceof String a ? a : null;
    switch (type) {
      case WireFormat.TCP_REGISTER -> registerOrRefuse(address);
      case WireFormat.TCP_UNREGISTER -> unregisterOrRefuse(address);
      case WireFormat.TCP_SEND -> send(address, frame);
      case WireFormat.TCP_PUBLISH -> FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
      default -> FrameHelper.sendErrFrame(WireFormat.TCP_UNKNOWN_TYPE, socket);
    }
  }

  private void registerOrRefuse(String address) {
    if (!register(address)) {
      FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
    }
  }

  private void unregisterOrRefuse(String address) {
    if (address == null || !unregister(address)) {
      FrameHelper.sendErrFrame(WireFormat.TCP_UNKNOWN_ADDRESS, socket);
    }
  }

  private void send(String address, JsonObject frame) {
    if (!BridgeRules.maySend(address) || !BridgeRules.mayReplyTo(frame.getValue("replyAddress"))) {
      FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
      return;
    }
    JsonObject body = BridgeRules.inbound(address, frame.getValue("body"), who());
    if (BridgeRules.namesNode(address, body)) {
      Future<JsonObject> answer = BridgeRules.toNode(vertx, body);
      if (frame.getValue("replyAddress") instanceof String replyAddress) {
        answer.onSuccess(a -> FrameHelper.sendFrame(WireFormat.TCP_MESSAGE, replyAddress, null, null, true, a, socket));
      }
      return;
    }
    if (!(frame.getValue("replyAddress") instanceof String replyAddress)) {
      vertx.eventBus().send(address, body);
      return;
    }
    Identity asker = who();
    vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(Actions.REQUEST_TIMEOUT_MS))
        .onSuccess(reply -> FrameHelper.sendFrame(WireFormat.TCP_MESSAGE, replyAddress, null, null, true,
            Addresses.SNAPSHOT.equals(address) ? feed.snapshot(reply.body(), asker) : reply.body(), socket))
        .onFailure(e -> FrameHelper.sendErrFrame(address, replyAddress, e instanceof ReplyException re ? re
            : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, e.getMessage()), socket));
  }
}
