package io.servicemanager.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** A /ws client for tests: every frame it receives is queued, and tests wait on the frame they expect. */
public final class WsClient implements AutoCloseable {
  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final FrameInbox inbox = new FrameInbox("/ws frame");
  private volatile Short closeStatus;
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger binaryFrames = new java.util.concurrent.atomic.AtomicInteger();

  private WsClient(WebSocketClient client, ClientWebSocket socket) {
    this.client = client;
    this.socket = socket;
    // Handlers go on before connecting: the snapshot can arrive before connect() returns.
    socket.textMessageHandler(text -> inbox.add(new JsonObject(text)));
    // The only binary frame the server sends: a gzip snapshot (/ws?snapshot=gzip), noted as such.
    socket.binaryMessageHandler(gz -> {
      binaryFrames.incrementAndGet();
      inbox.add(new JsonObject(gunzip(gz.getBytes())));
    });
    socket.closeHandler(v -> {
      closeStatus = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode();
      closed.complete(closeStatus);
    });
  }

  /** As the test operator ({@link TestConfigs#OPERATOR}). */
  public static WsClient connect(Vertx vertx, int port) {
    return connect(vertx, port, new WebSocketConnectOptions().addHeader("Authorization", TestConfigs.operatorBasic()));
  }

  /** As the test operator, to {@code uri} (e.g. {@code /ws?snapshot=gzip}). */
  public static WsClient connect(Vertx vertx, int port, String uri) {
    return connect(vertx, port, new WebSocketConnectOptions().addHeader("Authorization", TestConfigs.operatorBasic()), uri);
  }

  /** How many binary frames came (each gunzipped into the inbox). */
  public int binaryFrames() {
    return binaryFrames.get();
  }

  private static String gunzip(byte[] gz) {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("a binary frame that is not gzip", e);
    }
  }

  /** With the host, port and URI filled in on {@code options}: its headers are the caller's (none: unauthenticated). */
  public static WsClient connect(Vertx vertx, int port, WebSocketConnectOptions options) {
    return connect(vertx, port, options, "/ws");
  }

  /** With the caller's headers on {@code options}, to {@code uri}. */
  public static WsClient connect(Vertx vertx, int port, WebSocketConnectOptions options, String uri) {
    // Frames up to 1 MB go out whole, so tests can send one frame over the server's limit.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    ClientWebSocket ws = client.webSocket();
    WsClient wsClient = new WsClient(client, ws);
    ws.connect(options.setHost("127.0.0.1").setPort(port).setURI(uri)).await();
    return wsClient;
  }

  public void send(JsonObject message) {
    socket.writeTextMessage(message.encode()).await();
  }

  public void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  public WebSocket socket() {
    return socket;
  }

  /**
   * The first frame that matches and was not awaited before, waiting for it up to the timeout.
   * Frames that did not match stay available to later awaits, so arrival order between kinds of
   * message does not matter.
   */
  public JsonObject await(Predicate<JsonObject> matching, Duration timeout) {
    return inbox.await(matching, timeout);
  }

  /** The next status frame for {@code service} whose status is {@code status}. */
  public JsonObject awaitStatus(String service, String status, Duration timeout) {
    return await(f -> "status".equals(f.getString("type"))
        && service.equals(f.getJsonObject("service").getString("name"))
        && status.equals(f.getJsonObject("service").getString("status")), timeout);
  }

  public JsonObject awaitType(String type, Duration timeout) {
    return await(f -> type.equals(f.getString("type")), timeout);
  }

  /** Everything received so far, including frames not yet awaited. */
  public List<JsonObject> allReceived() {
    return inbox.all();
  }

  /** The close status code once the server closed the socket, else null. */
  public Short closeStatus() {
    return closeStatus;
  }

  /** The close status code the socket closes with (-1: none given), waiting for the close up to the timeout. */
  public short awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the socket was not closed within " + timeout);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
    client.close();
  }
}
