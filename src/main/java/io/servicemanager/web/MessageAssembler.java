package io.servicemanager.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Consumer;

/**
 * Joins a client's WebSocket frames into messages, closing with 1009 (message too big) the moment a
 * message grows past the limit — before it is buffered whole, and with a proper close frame, which
 * Vert.x's own limit does not send.
 */
final class MessageAssembler {
  static final short MESSAGE_TOO_BIG = 1009;

  private final ServerWebSocket ws;
  private final int limit;
  private final Consumer<String> onText;
  private final Runnable onBinary;
  private Buffer pending;
  private boolean binary;

  MessageAssembler(ServerWebSocket ws, int limit, Consumer<String> onText, Runnable onBinary) {
    this.ws = ws;
    this.limit = limit;
    this.onText = onText;
    this.onBinary = onBinary;
  }

  void frame(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // ping, pong and close are answered by Vert.x itself
    }
    if (!frame.isContinuation()) {
      pending = Buffer.buffer();
      binary = frame.isBinary();
    } else if (pending == null) {
      return; // a continuation without a start: nothing to join it to
    }
    pending.appendBuffer(frame.binaryData());
    if (pending.length() > limit) {
      pending = null;
      ws.close(MESSAGE_TOO_BIG, "message larger than " + limit + " bytes");
      return;
    }
    if (frame.isFinal()) {
      Buffer message = pending;
      pending = null;
      if (binary) {
        onBinary.run();
      } else {
        onText.accept(message.toString(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }
}
