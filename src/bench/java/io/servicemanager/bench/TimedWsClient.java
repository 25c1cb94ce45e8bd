package io.servicemanager.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A /ws client that stamps each text message with {@link System#nanoTime()} the moment it arrives,
 * before decoding it. Runs on its own Vert.x instance, so its event loop is not the server's.
 */
final class TimedWsClient implements AutoCloseable {
  /** Called on the client's event loop for every message. */
  interface Listener {
    void message(long arrivedNanos, JsonObject message);
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final AtomicBoolean closing;

  private TimedWsClient(Vertx vertx, WebSocketClient client, ClientWebSocket socket, AtomicBoolean closing) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    this.closing = closing;
  }

  static TimedWsClient connect(int port, Listener listener) {
    Vertx vertx = Vertx.vertx();
    // A 1 000-service snapshot is one frame of a few hundred KB: over the client's default limits.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(64 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
    ClientWebSocket socket = client.webSocket();
    AtomicBoolean closing = new AtomicBoolean();
    socket.textMessageHandler(text -> {
      long now = System.nanoTime();
      listener.message(now, new JsonObject(text));
    });
    socket.closeHandler(v -> {
      if (!closing.get()) {
        System.err.println("bench: /ws closed by the server: " + socket.closeStatusCode() + " " + socket.closeReason());
      }
    });
    socket.exceptionHandler(e -> System.err.println("bench: /ws client: " + e));
    socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
        .addHeader("Authorization", io.servicemanager.testing.TestConfigs.operatorBasic())).await();
    return new TimedWsClient(vertx, client, socket, closing);
  }

  /** Sends a request frame. */
  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  @Override
  public void close() {
    closing.set(true);
    if (!socket.isClosed()) {
      socket.close().await();
    }
    client.close().await();
    vertx.close().await();
  }
}
