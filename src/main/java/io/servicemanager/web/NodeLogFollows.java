package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
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
import java.util.Set;
import java.util.UUID;

/**
 * The /ws {@code logs} message that names a fleet {@code node}: {@code {"type":"logs","service":S,
 * "node":N,"follow":bool}}, answered with {@code log} frames that carry {@code node}, as
 * {@link LogFollows} answers for a service of this server's own.
 *
 * <p>That node decides, for each socket's identity, at {@code servicemanager.<node>.journal} and
 * {@code .journal.follow}. This instance follows a (node, service) once, as one follower, and renews
 * the node's lease on it every {@link #RENEW_MS} while a socket wants it, with each socket's
 * identity, so that a right lost there ends that socket's follow; the node ends a follow that is
 * not renewed, so a dashboard that dies or loses the node leaves no journalctl behind there. While
 * the node is unreachable the follow waits and resumes when a renewal reaches it again.
 */
final class NodeLogFollows {
  static final long RENEW_MS = 10_000;
  /** Failures of a renewal that end nothing: the node may answer again. */
  private static final Set<String> PASSING = Set.of(ErrorCode.NODE_UNREACHABLE.code(), ErrorCode.UNAVAILABLE.code());

  private record Key(String node, String service) {}

  private final Vertx vertx;
  private final String follower = "http-" + UUID.randomUUID();
  /** Per (node, service), its sockets, each true once its first tail is written (live entries go only to those). */
  private final Map<Key, Map<ServerWebSocket, Identity>> sockets = new HashMap<>();
  private final Map<ServerWebSocket, Map<Key, Boolean>> ready = new HashMap<>();
  private long renewTimer = -1;

  NodeLogFollows(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>localConsumer(Addresses.FLEET_JOURNAL_ENTRIES, m -> deliver(m.body()));
  }

  void request(ServerWebSocket ws, Identity who, JsonObject msg) {
    if (!(msg.getValue("service") instanceof String service) || !(msg.getValue(WireFormat.NODE) instanceof String node)
        || !(msg.getValue("follow", false) instanceof Boolean follow)) {
      send(ws, WireFormat.error(ErrorCode.BAD_REQUEST, "logs needs a string \"service\", a string \"" + WireFormat.NODE
          + "\" and a boolean \"follow\""));
      return;
    }
    Key key = new Key(node, service);
    if (!follow) {
      leave(ws, key);
      tail(ws, who, key);
    } else if (!ready.getOrDefault(ws, Map.of()).containsKey(key)
        && ready.getOrDefault(ws, Map.of()).size() >= LogFollows.MAX_PER_SOCKET) {
      send(ws, error(key, ErrorCode.TOO_MANY_REQUESTS.code(), "one connection follows at most " + LogFollows.MAX_PER_SOCKET
          + " journals of other nodes"));
    } else {
      follow(ws, who, key);
    }
  }

  /** The socket closed: it follows nothing any more. */
  void leave(ServerWebSocket ws) {
    Map<Key, Boolean> keys = ready.get(ws);
    if (keys != null) {
      List.copyOf(keys.keySet()).forEach(key -> leave(ws, key));
    }
  }

  private void follow(ServerWebSocket ws, Identity who, Key key) {
    ask(key, Addresses.NODE_JOURNAL_FOLLOW, followBody(key, who, true)).onSuccess(reply -> {
      if (reply.getValue("error") instanceof String code) {
        leave(ws, key);
        send(ws, error(key, code, reply.getString("message")));
        return;
      }
      if (ws.isClosed()) {
        if (!sockets.containsKey(key)) {
          ask(key, Addresses.NODE_JOURNAL_FOLLOW, followBody(key, null, false));
        }
        return;
      }
      sockets.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(ws, who);
      ready.computeIfAbsent(ws, s -> new HashMap<>()).putIfAbsent(key, false);
      if (renewTimer < 0) {
        renewTimer = vertx.setPeriodic(RENEW_MS, t -> renew());
      }
      tail(ws, who, key).onSuccess(v -> {
        Map<Key, Boolean> mine = ready.get(ws);
        if (mine != null && mine.containsKey(key)) {
          mine.put(key, true);
        }
      });
    });
  }

  private Future<Void> tail(ServerWebSocket ws, Identity who, Key key) {
    JsonObject question = new JsonObject().put("service", key.service()).put("lines", LogFollows.TAIL_LINES)
        .put("identity", who.toJson());
    return ask(key, Addresses.NODE_JOURNAL, question).compose(reply -> {
      if (reply.getValue("error") instanceof String code) {
        leave(ws, key);
        send(ws, error(key, code, reply.getString("message")));
        return Future.failedFuture(code);
      }
      send(ws, WireFormat.log(key.service(), reply.getJsonArray("entries", new JsonArray())).put(WireFormat.NODE, key.node()));
      return Future.succeededFuture();
    });
  }

  private void leave(ServerWebSocket ws, Key key) {
    Map<Key, Boolean> mine = ready.get(ws);
    if (mine != null) {
      mine.remove(key);
      if (mine.isEmpty()) {
        ready.remove(ws);
      }
    }
    Map<ServerWebSocket, Identity> following = sockets.get(key);
    if (following != null && following.remove(ws) != null && following.isEmpty()) {
      sockets.remove(key);
      ask(key, Addresses.NODE_JOURNAL_FOLLOW, followBody(key, null, false));
      if (sockets.isEmpty()) {
        vertx.cancelTimer(renewTimer);
        renewTimer = -1;
      }
    }
  }

  /** Each socket's follow asked again with its identity: the node's lease holds on; a refusal ends that socket's. */
  private void renew() {
    sockets.forEach((key, following) -> following.forEach((ws, who) ->
        ask(key, Addresses.NODE_JOURNAL_FOLLOW, followBody(key, who, true)).onSuccess(reply -> {
          if (reply.getValue("error") instanceof String code && !PASSING.contains(code)
              && sockets.getOrDefault(key, Map.of()).containsKey(ws)) {
            leave(ws, key);
            send(ws, error(key, code, reply.getString("message")));
          }
        })));
  }

  private void deliver(JsonObject body) {
    if (!follower.equals(body.getString("follower"))) {
      return;
    }
    Key key = new Key(body.getString(WireFormat.NODE), body.getString("service"));
    Map<ServerWebSocket, Identity> following = sockets.get(key);
    if (following == null) {
      return;
    }
    if (body.getValue("error") instanceof String code) {
      JsonObject error = error(key, code, body.getString("message"));
      List.copyOf(following.keySet()).forEach(ws -> {
        leave(ws, key);
        send(ws, error);
      });
      return;
    }
    String frame = WireFormat.log(key.service(), body.getJsonArray("entries")).put(WireFormat.NODE, key.node()).encode();
    for (ServerWebSocket ws : List.copyOf(following.keySet())) {
      if (!Boolean.TRUE.equals(ready.getOrDefault(ws, Map.of()).get(key)) || ws.isClosed()) {
        continue;
      }
      if (ws.writeQueueFull()) {
        ClientFaults.HTTP.log("/ws client " + ws.remoteAddress() + " does not read its journal frames: closed");
        leave(ws);
        ws.close(LogFollows.NOT_READING, "not reading");
      } else {
        ws.writeTextMessage(frame);
      }
    }
  }

  private JsonObject followBody(Key key, Identity who, boolean follow) {
    return new JsonObject().put("service", key.service()).put("follower", follower).put("follow", follow)
        .put("identity", who == null ? null : who.toJson());
  }

  /** The node's answer through the fleet directory, or its failure as an answer (no fleet: {@code unknown_node}). */
  private Future<JsonObject> ask(Key key, String kind, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.FLEET_REQUEST, new JsonObject().put("node", key.node())
            .put("kind", kind).put("body", body))
        .map(m -> m.body())
        .otherwise(e -> new JsonObject().put("error", ErrorCode.UNKNOWN_NODE.code()).put("message", "this server is not in a fleet"));
  }

  private static JsonObject error(Key key, String code, String message) {
    return WireFormat.logError(key.service(), ErrorCode.fromCode(code), message).put(WireFormat.NODE, key.node());
  }

  private static void send(ServerWebSocket ws, JsonObject frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame.encode());
    }
  }
}
