package io.servicemanager.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
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
 * <p>Runs in the first HTTP instance only. Vert.x would share its port between instances as it does
 * the HTTP port, but the bridge serves a few scripts, not thousands of browsers: spreading them buys
 * nothing, and one listener keeps port 0 simple (no second bind on the port the first got) and its
 * log line single.
 *
 * <p>Each connection ({@link TcpConnection}) is a {@link Feed} subscriber: the messages of the
 * addresses it registered are written by the fan-out, as its identity may see them, like every other
 * transport's.
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
        .connectHandler(socket -> feed.add(socket, new TcpConnection(vertx, feed, authenticator, socket), 0))
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("TCP event-bus bridge at {}:{}", host, s.actualPort());
        });
  }

  int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
