package io.servicemanager.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An event-bus bridge client for tests, speaking the bridge's JSON frames ({@code register}, {@code send},
 * {@code ping} …) either over SockJS's raw WebSocket transport ({@code /eventbus/websocket}) or over the
 * TCP bridge's framing (a 4-byte big-endian length, then the JSON). Every frame received is queued;
 * tests wait on the frame they expect.
 */
public final class BridgeClient implements AutoCloseable {
  private final FrameInbox inbox = new FrameInbox("bridge frame");
  private Consumer<JsonObject> writer;
  private Runnable closer;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private BridgeClient() {}

  /** Over {@code ws://127.0.0.1:PORT/eventbus/websocket}; the options' headers are the caller's credentials. */
  public static BridgeClient sockJs(Vertx vertx, int port, WebSocketConnectOptions options) {
    BridgeClient client = new BridgeClient();
    WebSocketClient http = vertx.createWebSocketClient();
    ClientWebSocket ws = http.webSocket();
    // The bridge writes its frames as binary messages, our own clients may see text: both are JSON.
    ws.textMessageHandler(text -> client.inbox.add(new JsonObject(text)));
    ws.binaryMessageHandler(data -> client.inbox.add(new JsonObject(data)));
    ws.closeHandler(v -> client.closed.complete(null));
    ws.connect(options.setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket")).await();
    client.writer = frame -> ws.writeTextMessage(frame.encode()).await();
    client.closer = () -> {
      if (!ws.isClosed()) {
        ws.close();
      }
      http.close();
    };
    return client;
  }

  /** Over the TCP bridge at 127.0.0.1:PORT. */
  public static BridgeClient tcp(Vertx vertx, int port) {
    BridgeClient client = new BridgeClient();
    NetClient net = vertx.createNetClient();
    NetSocket socket = net.connect(port, "127.0.0.1").await();
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new io.vertx.core.Handler<>() {
      boolean lengthNext = true;

      @Override
      public void handle(Buffer record) {
        if (lengthNext) {
          parser.fixedSizeMode(record.getInt(0));
        } else {
          client.inbox.add(new JsonObject(record));
          parser.fixedSizeMode(4);
        }
        lengthNext = !lengthNext;
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> client.closed.complete(null));
    client.writer = frame -> {
      Buffer json = frame.toBuffer();
      socket.write(Buffer.buffer().appendInt(json.length()).appendBuffer(json)).await();
    };
    client.closer = () -> {
      socket.close();
      net.close();
    };
    return client;
  }

  public BridgeClient send(JsonObject frame) {
    writer.accept(frame);
    return this;
  }

  /** {@code {"type":"register","address":…}}, plus {@code headers} when given. */
  public BridgeClient register(String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    return send(headers == null ? frame : frame.put("headers", headers));
  }

  /** {@code {"type":"send","address":…,"body":…,"replyAddress":…}}, plus {@code headers} when given. */
  public BridgeClient request(String address, JsonObject body, String replyAddress, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
    return send(headers == null ? frame : frame.put("headers", headers));
  }

  /**
   * The first frame that matches and was not awaited before, waiting up to the timeout. Frames that
   * did not match stay available to later awaits.
   */
  public JsonObject await(Predicate<JsonObject> matching, Duration timeout) {
    return inbox.await(matching, timeout);
  }

  /** The next frame delivered to {@code address} (a registered address, or a reply address). */
  public JsonObject awaitAddress(String address, Duration timeout) {
    return await(f -> address.equals(f.getString("address")), timeout);
  }

  /** The next status message for {@code service} with that {@code status}. */
  public JsonObject awaitStatus(String service, String status, Duration timeout) {
    return await(f -> "servicemanager.status".equals(f.getString("address"))
        && f.getValue("body") instanceof JsonObject view
        && service.equals(view.getString("name")) && status.equals(view.getString("status")), timeout);
  }

  /** The next {@code err} frame. */
  public JsonObject awaitError(Duration timeout) {
    return await(f -> "err".equals(f.getString("type")), timeout);
  }

  /** Everything received so far, including frames not yet awaited. */
  public List<JsonObject> allReceived() {
    return inbox.all();
  }

  /** Waits until the server has closed the connection. */
  public void awaitClosed(Duration timeout) {
    try {
      closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + timeout + "; received: " + allReceived());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    closer.run();
  }
}
