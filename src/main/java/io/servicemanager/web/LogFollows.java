package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The /ws {@code logs} message of one HTTP instance: {@code {"type":"logs","service":S,"follow":bool}}
 * is answered with a {@code log} frame of the service's newest entries; with {@code follow: true} its
 * new entries follow as more {@code log} frames until {@code follow: false} or the socket closes.
 *
 * <p>Only for a caller whose {@link Audience} may read the service's journal; rights are checked
 * again when the catalogue changes. This instance follows a service once, whichever of its sockets
 * want it, and the journal verticle runs one journalctl per service for all instances. A socket that
 * does not read (its write queue is full) is closed rather than buffered for.
 */
final class LogFollows {
  static final int TAIL_LINES = 100;
  static final int MAX_PER_SOCKET = 8;
  /** Policy violation: the client does not read what it asked for. */
  static final short NOT_READING = 1008;

  private final Vertx vertx;
  /** This instance, as one follower among the journal verticle's. */
  private final String follower = "http-" + UUID.randomUUID();
  /** Per service, its sockets, each true once its first tail is written (live entries go only to those). */
  private final Map<String, Map<ServerWebSocket, Identity>> sockets = new HashMap<>();
  private final Map<ServerWebSocket, Map<String, Boolean>> ready = new HashMap<>();

  LogFollows(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.JOURNAL_ENTRIES, m -> deliver(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.CATALOGUE, m -> recheck(m.body().getJsonArray("services")));
  }

  void request(ServerWebSocket ws, Identity who, JsonObject msg) {
    if (!(msg.getValue("service") instanceof String service)
        || !(msg.getValue("follow", false) instanceof Boolean follow)) {
      send(ws, WireFormat.error(ErrorCode.BAD_REQUEST, "logs needs a string \"service\" and a boolean \"follow\""));
      return;
    }
    ServiceViews.named(vertx, service).onComplete(ar -> {
      JsonObject view = ar.succeeded() ? ar.result() : new JsonObject();
      ErrorCode refused = ar.failed() ? ErrorCode.UNAVAILABLE : Audience.of(who).logs(view);
      if (refused != null) {
        leave(ws, service);
        send(ws, WireFormat.logError(service, refused, ar.failed() ? "status not available"
            : Audience.refusal(refused, service)));
      } else if (!follow) {
        leave(ws, service);
        tail(ws, service, view.getString("unit"));
      } else if (!followed(ws, service) && ready.getOrDefault(ws, Map.of()).size() >= MAX_PER_SOCKET) {
        send(ws, WireFormat.logError(service, ErrorCode.TOO_MANY_REQUESTS,
            "one connection follows at most " + MAX_PER_SOCKET + " journals"));
      } else {
        follow(ws, who, service, view.getString("unit"));
      }
    });
  }

  /** The socket closed: it follows nothing any more. */
  void leave(ServerWebSocket ws) {
    Map<String, Boolean> services = ready.get(ws);
    if (services != null) {
      List.copyOf(services.keySet()).forEach(service -> leave(ws, service));
    }
  }

  private boolean followed(ServerWebSocket ws, String service) {
    return ready.getOrDefault(ws, Map.of()).containsKey(service);
  }

  private void follow(ServerWebSocket ws, Identity who, String service, String unit) {
    boolean first = !sockets.containsKey(service);
    sockets.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(ws, who);
    ready.computeIfAbsent(ws, s -> new HashMap<>()).putIfAbsent(service, false);
    Future<JsonObject> following = first ? ask(Addresses.JOURNAL_FOLLOW, new JsonObject().put("service", service)
        .put("unit", unit).put("follower", follower).put("follow", true)) : Future.succeededFuture(new JsonObject());
    following.onSuccess(reply -> {
      if (reply.getValue("error") instanceof String code) {
        Map<ServerWebSocket, Identity> refused = sockets.remove(service);
        if (refused != null) {
          refused.keySet().forEach(s -> unmark(s, service));
          JsonObject error = WireFormat.logError(service, ErrorCode.fromCode(code), reply.getString("message"));
          refused.keySet().forEach(s -> send(s, error));
        }
        return;
      }
      tail(ws, service, unit).onSuccess(v -> {
        Map<String, Boolean> mine = ready.get(ws);
        if (mine != null && mine.containsKey(service)) {
          mine.put(service, true);
        }
      });
    });
  }

  private Future<Void> tail(ServerWebSocket ws, String service, String unit) {
    return ask(Addresses.JOURNAL, new JsonObject().put("unit", unit).put("lines", TAIL_LINES)).compose(reply -> {
      if (reply.getValue("error") instanceof String code) {
        leave(ws, service);
        send(ws, WireFormat.logError(service, ErrorCode.fromCode(code), reply.getString("message")));
        return Future.failedFuture(code);
      }
      send(ws, WireFormat.log(service, reply.getJsonArray("entries", new JsonArray())));
      return Future.succeededFuture();
    });
  }

  private void leave(ServerWebSocket ws, String service) {
    unmark(ws, service);
    Map<ServerWebSocket, Identity> following = sockets.get(service);
    if (following != null && following.remove(ws) != null && following.isEmpty()) {
      sockets.remove(service);
      ask(Addresses.JOURNAL_FOLLOW, new JsonObject().put("service", service).put("follower", follower)
          .put("follow", false));
    }
  }

  private void unmark(ServerWebSocket ws, String service) {
    Map<String, Boolean> mine = ready.get(ws);
    if (mine != null) {
      mine.remove(service);
      if (mine.isEmpty()) {
        ready.remove(ws);
      }
    }
  }

  private void deliver(JsonObject body) {
    String service = body.getString("service");
    Map<ServerWebSocket, Identity> following = sockets.get(service);
    if (following == null) {
      return;
    }
    if (body.getBoolean("ended", false)) {
      sockets.remove(service);
      JsonObject error = WireFormat.logError(service, ErrorCode.LOGS_UNAVAILABLE, "the journal stopped answering");
      following.keySet().forEach(ws -> {
        unmark(ws, service);
        send(ws, error);
      });
      return;
    }
    String frame = WireFormat.log(service, body.getJsonArray("entries")).encode();
    for (ServerWebSocket ws : List.copyOf(following.keySet())) {
      if (!Boolean.TRUE.equals(ready.getOrDefault(ws, Map.of()).get(service)) || ws.isClosed()) {
        continue;
      }
      if (ws.writeQueueFull()) {
        ClientFaults.HTTP.log("/ws client " + ws.remoteAddress() + " does not read its journal frames: closed");
        leave(ws);
        ws.close(NOT_READING, "not reading");
      } else {
        ws.writeTextMessage(frame);
      }
    }
  }

  /** A new catalogue may take a service away or turn its logs_allowed off: those followers are told and dropped. */
  private void recheck(JsonArray views) {
    for (String service : List.copyOf(sockets.keySet())) {
      JsonObject view = views == null ? new JsonObject() : views.stream().map(JsonObject.class::cast)
          .filter(v -> service.equals(v.getString("name"))).findFirst().orElse(new JsonObject());
      for (Map.Entry<ServerWebSocket, Identity> e : List.copyOf(sockets.getOrDefault(service, Map.of()).entrySet())) {
        ErrorCode refused = Audience.of(e.getValue()).logs(view);
        if (refused != null) {
          leave(e.getKey(), service);
          send(e.getKey(), WireFormat.logError(service, refused, Audience.refusal(refused, service)));
        }
      }
    }
  }

  private Future<JsonObject> ask(String address, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(address, request).map(m -> m.body())
        .otherwise(e -> new JsonObject().put("error", ErrorCode.UNAVAILABLE.code()).put("message", "no answer"));
  }

  private static void send(ServerWebSocket ws, JsonObject frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame.encode());
    }
  }
}
