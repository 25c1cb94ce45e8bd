package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * The one way the web layer asks for an action: REST and /ws both come here, and the action
 * verticle behind {@code servicemanager.action} is the only authority on permissions.
 */
final class Actions {
  /** Longer than the action verticle's own job timeout, so it always answers first. */
  static final long REQUEST_TIMEOUT_MS = 300_000;

  private Actions() {}

  /**
   * Always succeeds, with {@code {"status":"success",…}} or {@code {"status":"error","code":…,…}}.
   * The caller is the authenticated {@code who}; nothing a client wrote can name someone else.
   */
  static Future<JsonObject> request(Vertx vertx, String service, String action, Identity who) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.ACTION, body(service, action, who), new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
        .map(reply -> reply.body())
        .recover(e -> Future.succeededFuture(failure(e)));
  }

  /** An action request's body: what to do and who asks. */
  static JsonObject body(Object service, Object action, Identity who) {
    return new JsonObject().put("service", service).put("action", action).put("identity", who.toJson());
  }

  /**
   * The action {@code request} ({@link #body}) on fleet node {@code node}, through the fleet directory:
   * that node checks it against its own table and answers. Always succeeds, like {@link #request}; an
   * unknown or lost node, or no fleet at all, is an action failure ({@code unknown_node},
   * {@code node_unreachable}).
   */
  static Future<JsonObject> onNode(Vertx vertx, String node, JsonObject request) {
    JsonObject routed = new JsonObject().put(WireFormat.NODE, node).put("kind", Addresses.NODE_ACTION).put("body", request);
    return vertx.eventBus()
        .<JsonObject>request(Addresses.FLEET_REQUEST, routed, new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
        .map(reply -> reply.body().getValue("error") instanceof String code
            ? WireFormat.actionFailure(ErrorCode.fromCode(code), reply.body().getString("message"))
            : reply.body())
        .recover(e -> Future.succeededFuture(e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? WireFormat.actionFailure(ErrorCode.UNKNOWN_NODE, "this server is not in a fleet") : failure(e)));
  }

  private static JsonObject failure(Throwable e) {
    ErrorCode code = e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
        ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    String message = code == ErrorCode.UNAVAILABLE ? "actions are not available" : e.getMessage();
    return WireFormat.actionFailure(code, message);
  }

  /** The HTTP status for an action answer. */
  static int httpStatus(JsonObject answer) {
    if ("success".equals(answer.getString("status"))) {
      return 200;
    }
    return ErrorCode.fromCode(answer.getString("code")).httpStatus();
  }
}
