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
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge (DESIGN §6): the wire protocol of vertx-tcp-eventbus-bridge — each frame
 * a 4-byte big-endian length and that many bytes of JSON, {@code register}, {@code unregister},
 * {@code send}, {@code ping} in, {@code message}, {@code err}, {@code pong} out — under the rules of
 * {@link BridgeRules}.
 *
 * <p>Its frames are dispatched here rather than by the library's {@code TcpEventBusBridge}, which
 * writes registered messages and replies straight to the socket (with their headers) and has no hook
 * to hold them to a connection's identity, nor a limit on a frame's size; its {@link FrameHelper}
 * writes our frames, so clients see the very same shapes.
 *
 * <p>A connection is authenticated by an API token sent as {@code headers.authorization:
 * "Bearer TOKEN"} on any frame; until then every frame but {@code ping} is refused with
 * {@code unauthorized}. A wrong token (or too many) closes the connection. Later frames may repeat
 * the token; a different one is refused.
 *
 * <p>Each connection is a {@link Feed} subscriber: the messages of the addresses it registered are
 * written by the fan-out, as its identity may see them, like every other transport's.
 */
final class TcpBridge {
  private static final Logger LOG = LoggerFactory.getLogger(TcpBridge.class);
  /** A client frame is a few hundred bytes; the length prefix is checked before anything is buffered. */
  static final int MAX_FRAME = 64 * 1024;

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final Feed feed;
  private NetServer server;

  TcpBridge(Vertx vertx, Feed feed, Authenticator authenticator) {
    this.vertx = vertx;
    this.feed = feed;
    this.authenticator = authenticator;
  }

  Future<NetServer> listen(String host, int port) {
    return vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port))
        // A token has no session end: a connection lasts until it closes or rights change.
        .connectHandler(socket -> feed.add(socket, new Connection(socket, feed.nextSeq()), 0))
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("TCP event-bus bridge at {}:{}", host, s.actualPort());
        });
  }

  int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private final class Connection implements TcpFrameReader.Listener, Feed.Subscriber {
    final NetSocket socket;
    final long seq;
    final Set<String> registered = new HashSet<>();
    Identity who;
    Object rights;
    String token;
    boolean closed;

    Connection(NetSocket socket, long seq) {
      this.socket = socket;
      this.seq = seq;
      socket.handler(new TcpFrameReader(MAX_FRAME, this));
      socket.closeHandler(v -> {
        closed = true;
        feed.remove(socket);
      });
      socket.exceptionHandler(e -> LOG.debug("TCP bridge client {}: {}", socket.remoteAddress(), e.toString()));
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

    /** Nothing before the connection has an identity: it can only register once it has one. */
    @Override
    public boolean takes(PushKind kind) {
      return kind.bridged() && registered.contains(kind.address());
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
      FrameHelper.sendErrFrame(WireFormat.tcpError("frame_too_large", "at most " + MAX_FRAME + " bytes"), socket);
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
        if (who == null) {
          FrameHelper.sendErrFrame(WireFormat.tcpError(WireFormat.TCP_UNAUTHORIZED,
              "send headers.authorization: \"Bearer TOKEN\""), socket);
        } else {
          dispatch(type, frame);
        }
        return;
      }
      String presented = authorization instanceof String a && a.regionMatches(true, 0, "Bearer ", 0, 7)
          ? a.substring(7).strip() : "";
      if (who != null) {
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
            who = caller.identity();
            rights = Feed.rights("tcp", who);
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
        case WireFormat.TCP_REGISTER -> register(address);
        case WireFormat.TCP_UNREGISTER -> unregister(address);
        case WireFormat.TCP_SEND -> send(address, frame);
        case WireFormat.TCP_PUBLISH -> FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
        default -> FrameHelper.sendErrFrame(WireFormat.TCP_UNKNOWN_TYPE, socket);
      }
    }

    private void register(String address) {
      if (!BridgeRules.mayRegister(address)) {
        FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
        return;
      }
      registered.add(address);
    }

    private void unregister(String address) {
      if (address == null || !registered.remove(address)) {
        FrameHelper.sendErrFrame(WireFormat.TCP_UNKNOWN_ADDRESS, socket);
      }
    }

    private void send(String address, JsonObject frame) {
      if (!BridgeRules.maySend(address) || !BridgeRules.mayReplyTo(frame.getValue("replyAddress"))) {
        FrameHelper.sendErrFrame(WireFormat.TCP_ACCESS_DENIED, socket);
        return;
      }
      JsonObject body = BridgeRules.inbound(address, frame.getValue("body"), who);
      if (!(frame.getValue("replyAddress") instanceof String replyAddress)) {
        vertx.eventBus().send(address, body);
        return;
      }
      Identity asker = who;
      vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(Actions.REQUEST_TIMEOUT_MS))
          .onSuccess(reply -> FrameHelper.sendFrame(WireFormat.TCP_MESSAGE, replyAddress, null, null, true,
              Addresses.SNAPSHOT.equals(address) ? BridgeRules.snapshot(reply.body(), asker) : reply.body(), socket))
          .onFailure(e -> FrameHelper.sendErrFrame(address, replyAddress, e instanceof ReplyException re ? re
              : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, e.getMessage()), socket));
    }
  }
}
