package io.servicemanager.notify;

import io.servicemanager.config.NotificationTarget.Format;
import io.servicemanager.systemd.Action;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The body of a webhook: {@code json} is the /ws message itself (DESIGN §5); {@code discord} and
 * {@code slack} carry one line of text, "pzserver restarted by alice: done".
 */
final class Messages {
  private Messages() {}

  static Buffer status(Format format, JsonObject view) {
    return body(format, new JsonObject().put("type", "status").put("service", view), statusText(view));
  }

  static Buffer operation(Format format, JsonObject record) {
    return body(format, record.copy().put("type", "operation"), operationText(record));
  }

  private static Buffer body(Format format, JsonObject wsMessage, String text) {
    return switch (format) {
      case JSON -> wsMessage.toBuffer();
      // Nobody's user name or unit text may ping a whole Discord server.
      case DISCORD -> new JsonObject().put("content", text)
          .put("allowed_mentions", new JsonObject().put("parse", new JsonArray())).toBuffer();
      case SLACK -> new JsonObject().put("text", text).toBuffer();
    };
  }

  /** "pzserver is now failed", with systemd's sub-state when it says more: "pzserver is now inactive (dead)". */
  static String statusText(JsonObject view) {
    String status = view.getString("status");
    String sub = view.getString("sub_state");
    String text = view.getString("name") + " is now " + status;
    return sub == null || sub.equals(status) ? text : text + " (" + sub + ")";
  }

  /** "pzserver restarted by alice: done", or "crashy start by bob: failed (start ran, but the service failed: …)". */
  static String operationText(JsonObject record) {
    String action = record.getString("action");
    String result = record.getString("result");
    boolean done = "done".equals(result);
    String text = record.getString("service") + " " + (done ? Action.parse(action).map(Action::past).orElse(action) : action)
        + " by " + record.getString("user") + ": " + result;
    String message = record.getString("message");
    return done || message == null || message.isBlank() ? text : text + " (" + message + ")";
  }
}
