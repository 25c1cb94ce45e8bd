package io.servicemanager.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.NotificationTarget.Format;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static JsonObject operation(String action, String result, String message) {
    return new JsonObject().put("at", "2026-11-29T20:00:00.000Z").put("service", "pzserver").put("unit", "pzserver.service")
        .put("action", action).put("user", "alice").put("result", result).put("duration_ms", 812).put("message", message);
  }

  private static JsonObject view(String status, String sub) {
    return new JsonObject().put("name", "pzserver").put("status", status).put("sub_state", sub);
  }

  @Test
  @DisplayName("Discord hears \"pzserver restarted by alice: done\", with mentions switched off")
  void discord() {
    JsonObject body = new JsonObject(Messages.operation(Format.DISCORD, operation("restart", "done", "restarted")));
    assertThat(body).isEqualTo(new JsonObject().put("content", "pzserver restarted by alice: done")
        .put("allowed_mentions", new JsonObject().put("parse", new JsonArray())));
  }

  @Test
  @DisplayName("Slack hears the same line as text; a failure carries the verdict's message")
  void slack() {
    JsonObject body = new JsonObject(Messages.operation(Format.SLACK, operation("start", "failed",
        "start ran, but the service failed: exited with status 1")));
    assertThat(body).isEqualTo(new JsonObject()
        .put("text", "pzserver start by alice: failed (start ran, but the service failed: exited with status 1)"));
  }

  @Test
  @DisplayName("json is the /ws message itself: the operation record with its type, the status view wrapped")
  void json() {
    JsonObject record = operation("stop", "done", "stopped");
    assertThat(new JsonObject(Messages.operation(Format.JSON, record))).isEqualTo(record.copy().put("type", "operation"));
    JsonObject view = view("failed", "failed");
    assertThat(new JsonObject(Messages.status(Format.JSON, view)))
        .isEqualTo(new JsonObject().put("type", "status").put("service", view));
  }

  @Test
  @DisplayName("A status line names the new state, and the sub-state when it says more")
  void statusText() {
    assertThat(Messages.statusText(view("inactive", "dead"))).isEqualTo("pzserver is now inactive (dead)");
    assertThat(Messages.statusText(view("failed", "failed"))).isEqualTo("pzserver is now failed");
    assertThat(Messages.statusText(view("error", null))).isEqualTo("pzserver is now error");
  }
}
