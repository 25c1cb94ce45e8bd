package io.servicemanager.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits the TCP bridge's byte stream into frames: a 4-byte big-endian length, then that many bytes
 * of JSON. The length is judged before the body is buffered, so an announced 2 GB frame costs
 * nothing but the refusal.
 */
final class TcpFrameReader implements Handler<Buffer> {
  interface Listener {
    void frame(JsonObject frame);

    /** A body that is not a JSON object; the stream goes on with the next frame. */
    void notJson();

    /** A length over the limit (or not positive): nothing after it can be framed, the stream must end. */
    void tooLarge(int length);
  }

  private final RecordParser parser = RecordParser.newFixed(4);
  private final int limit;
  private final Listener listener;
  private boolean lengthNext = true;
  private boolean broken;

  TcpFrameReader(int limit, Listener listener) {
    this.limit = limit;
    this.listener = listener;
    parser.handler(this::record);
  }

  @Override
  public void handle(Buffer bytes) {
    if (!broken) {
      parser.handle(bytes);
    }
  }

  private void record(Buffer record) {
    if (broken) {
      return;
    }
    if (lengthNext) {
      int length = record.getInt(0);
      if (length <= 0 || length > limit) {
        broken = true;
        listener.tooLarge(length);
        return;
      }
      lengthNext = false;
      parser.fixedSizeMode(length);
      return;
    }
    lengthNext = true;
    parser.fixedSizeMode(4);
    JsonObject frame;
    try {
      frame = new JsonObject(record);
    } catch (RuntimeException e) {
      listener.notJson();
      return;
    }
    listener.frame(frame);
  }
}
