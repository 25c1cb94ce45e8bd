package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What may cross an event-bus bridge (SockJS and TCP alike, DESIGN §6), for one connection's
 * identity. Pure: the bridges call it for every frame in and every message out.
 *
 * <p>Out: the bridged {@link PushKind}s ({@code servicemanager.status} and
 * {@code servicemanager.operation}), each message as that identity may see it, written by the
 * {@link Feed} like every transport's. In: {@code servicemanager.action}
 * and {@code servicemanager.snapshot}, with the body rebuilt by the server so the identity is always
 * the connection's, never one the client wrote.
 */
final class BridgeRules {
  /** The bridged {@link PushKind}s' addresses. */
  static final Set<String> OUTBOUND = PushKind.bridgedAddresses();
  static final Set<String> INBOUND = Set.of(Addresses.ACTION, Addresses.SNAPSHOT);

  private BridgeRules() {}

  static boolean mayRegister(String address) {
    return address != null && OUTBOUND.contains(address);
  }

  static boolean maySend(String address) {
    return address != null && INBOUND.contains(address);
  }

  /**
   * A client names its own reply addresses; one of ours would make a reply look like a publication
   * (or the reverse), so they are refused.
   */
  static boolean mayReplyTo(Object replyAddress) {
    return replyAddress == null || replyAddress instanceof String name && !name.startsWith("servicemanager.");
  }

  /**
   * The request body put on the bus for a client's {@code send}: for an action only its service and
   * action, plus the connection's identity (the action verticle judges both); for a snapshot nothing.
   */
  static JsonObject inbound(String address, Object body, Identity who) {
    if (Addresses.SNAPSHOT.equals(address)) {
      return new JsonObject();
    }
    JsonObject request = new JsonObject();
    if (body instanceof JsonObject asked) {
      request.put("service", asked.getValue("service")).put("action", asked.getValue("action"));
      if (asked.getValue(WireFormat.NODE) != null) {
        request.put(WireFormat.NODE, asked.getValue(WireFormat.NODE));
      }
    }
    return request.put("identity", who.toJson());
  }

  /**
   * Whether an inbound request ({@link #inbound}) is an action on a named fleet node, to be routed
   * there ({@link Actions#onNode}) rather than to this server's own action verticle.
   */
  static boolean namesNode(String address, JsonObject request) {
    return Addresses.ACTION.equals(address) && request.containsKey(WireFormat.NODE);
  }

  /** A node-qualified action request as {@link Actions#onNode} takes it: the node named apart, if it is a string. */
  static Future<JsonObject> toNode(Vertx vertx, JsonObject request) {
    JsonObject body = request.copy();
    if (!(body.remove(WireFormat.NODE) instanceof String node)) {
      return Future.succeededFuture(WireFormat.actionFailure(ErrorCode.BAD_REQUEST,
          "\"" + WireFormat.NODE + "\" names a node: a string"));
    }
    return Actions.onNode(vertx, node, body);
  }

  /** The status verticle's snapshot reply as {@code who} may see it: only their services, their actions. */
  static JsonObject snapshot(Object reply, Identity who) {
    return Audience.of(who).snapshot(reply);
  }
}
