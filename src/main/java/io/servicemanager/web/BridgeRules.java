package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
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
    }
    return request.put("identity", who.toJson());
  }

  /** The status verticle's snapshot reply as {@code who} may see it: only their services, their actions. */
  static JsonObject snapshot(Object reply, Identity who) {
    return Audience.of(who).snapshot(reply);
  }
}
