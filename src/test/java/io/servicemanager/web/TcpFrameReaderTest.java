package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TcpFrameReaderTest {
  final List<Object> heard = new ArrayList<>();
  final TcpFrameReader reader = new TcpFrameReader(64, new TcpFrameReader.Listener() {
    @Override
    public void frame(JsonObject frame) {
      heard.add(frame);
    }

    @Override
    public void notJson() {
      heard.add("not json");
    }

    @Override
    public void tooLarge(int length) {
      heard.add("too large: " + length);
    }
  });

  static Buffer framed(String json) {
    Buffer body = Buffer.buffer(json);
    return Buffer.buffer().appendInt(body.length()).appendBuffer(body);
  }

  @Test
  @DisplayName("Frames are found whatever the chunks: two in one, one split inside its length and its body")
  void chunks() {
    reader.handle(framed("{\"type\":\"ping\"}").appendBuffer(framed("{\"a\":1}")));
    Buffer split = framed("{\"type\":\"send\"}");
    reader.handle(split.slice(0, 2));
    reader.handle(split.slice(2, 9));
    reader.handle(split.slice(9, split.length()));
    assertThat(heard).containsExactly(new JsonObject().put("type", "ping"), new JsonObject().put("a", 1),
        new JsonObject().put("type", "send"));
  }

  @Test
  @DisplayName("A body that is not a JSON object is reported and the next frame still read")
  void notJson() {
    reader.handle(framed("[1,2]").appendBuffer(framed("nope")).appendBuffer(framed("{}")));
    assertThat(heard).containsExactly("not json", "not json", new JsonObject());
  }

  @Test
  @DisplayName("A length over the limit, zero or negative ends the stream: nothing after it is read")
  void tooLarge() {
    reader.handle(Buffer.buffer().appendInt(65).appendString("{}").appendBuffer(framed("{}")));
    assertThat(heard).containsExactly("too large: 65");
    TcpFrameReaderTest other = new TcpFrameReaderTest();
    other.reader.handle(Buffer.buffer().appendInt(-1));
    assertThat(other.heard).containsExactly("too large: -1");
  }
}
