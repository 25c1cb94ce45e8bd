package io.servicemanager.web;

import io.micrometer.core.instrument.Timer;
import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /ws push feed (DESIGN §5). One event-bus consumer per message kind for all sockets: each
 * status change is encoded once and written to every open socket.
 */
final class WebSocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);

  private final Vertx vertx;
  private final Set<ServerWebSocket> sockets = new LinkedHashSet<>();
  private final Timer pushLatency;
  /** The last rejected reload's errors, until a valid reload: late joiners see them too. */
  private JsonObject configErrors;

  WebSocketHub(Vertx vertx, Timer pushLatency) {
    this.vertx = vertx;
    this.pushLatency = pushLatency;
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, this::status);
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m ->
        broadcast(m.body().copy().put("type", "operation")));
    vertx.eventBus().<JsonObject>consumer(Addresses.CATALOGUE, m -> {
      configErrors = null;
      broadcast(new JsonObject().put("type", "snapshot").put("services", m.body().getJsonArray("services")));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, this::configRejected);
  }

  /**
   * A status change goes out to every socket; when it came from a signal, the time from that signal
   * to the last socket's frame written (handed to the OS) is the push latency.
   */
  private void status(Message<JsonObject> m) {
    Future<Void> lastWrite = broadcast(new JsonObject().put("type", "status").put("service", m.body()));
    String received = m.headers().get(Addresses.SIGNAL_RECEIVED_NANOS);
    if (received != null && lastWrite != null) {
      long start = Long.parseLong(received);
      lastWrite.onSuccess(v -> pushLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }
  }

  int size() {
    return sockets.size();
  }

  void accept(ServerWebSocket ws) {
    sockets.add(ws);
    ws.closeHandler(v -> sockets.remove(ws));
    ws.exceptionHandler(e -> LOG.debug("/ws client {}: {}", ws.remoteAddress(), e.toString()));
    MessageAssembler messages = new MessageAssembler(ws, HttpVerticle.MAX_WS_MESSAGE, text -> onText(ws, text),
        () -> sendError(ws, ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text"));
    ws.frameHandler(messages::frame);
    sendSnapshot(ws);
  }

  private void sendSnapshot(ServerWebSocket ws) {
    vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .onSuccess(reply -> {
          if (!ws.isClosed()) {
            ws.writeTextMessage(new JsonObject().put("type", "snapshot")
                .put("services", reply.body().getJsonArray("services")).encode());
            if (configErrors != null) {
              ws.writeTextMessage(configErrors.encode());
            }
          }
        })
        .onFailure(e -> sendError(ws, ErrorCode.UNAVAILABLE, "status not available: " + e.getMessage()));
  }

  /** A reload that failed validation: the last good configuration stays, and the dashboard says why. */
  private void configRejected(Message<JsonObject> m) {
    if (m.body().containsKey("errors")) {
      configErrors = new JsonObject().put("type", "config_error").put("errors", m.body().getJsonArray("errors"));
      broadcast(configErrors);
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
    Object type = msg.getValue("type");
    if (!(type instanceof String)) {
      sendError(ws, ErrorCode.BAD_REQUEST, "missing \"type\"");
      return;
    }
    switch ((String) type) {
      case "ping" -> ws.writeTextMessage("{\"type\":\"pong\"}");
      case "action" -> action(ws, msg);
      default -> sendError(ws, ErrorCode.BAD_REQUEST, "unknown message type \"" + type + "\"");
    }
  }

  private void action(ServerWebSocket ws, JsonObject msg) {
    Object id = msg.getValue("id");
    if (!(msg.getValue("service") instanceof String service) || !(msg.getValue("action") instanceof String action)) {
      sendError(ws, ErrorCode.BAD_REQUEST, "an action needs string \"service\" and \"action\"");
      return;
    }
    Actions.request(vertx, service, action, "anonymous").onComplete(ar -> {
      JsonObject result = ar.result().copy().put("type", "result");
      if (id != null) {
        result.put("id", id);
      }
      if (!ws.isClosed()) {
        ws.writeTextMessage(result.encode());
      }
    });
  }

  private void sendError(ServerWebSocket ws, ErrorCode code, String message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(new JsonObject().put("type", "error").put("code", code.code())
          .put("message", message).encode());
    }
  }

  /** @return the write to the last open socket, or null when no socket is open */
  private Future<Void> broadcast(JsonObject message) {
    String frame = message.encode();
    Future<Void> last = null;
    for (ServerWebSocket ws : sockets) {
      if (!ws.isClosed()) {
        last = ws.writeTextMessage(frame);
      }
    }
    return last;
  }
}
