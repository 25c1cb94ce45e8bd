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
    JsonObject body = new JsonObject().put("service", service).put("action", action).put("identity", who.toJson());
    return vertx.eventBus()
        .<JsonObject>request(Addresses.ACTION, body, new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
        .map(reply -> reply.body())
        .recover(e -> Future.succeededFuture(failure(e)));
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
