package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  @Test
  @DisplayName("The /ws frames have the shapes README documents, and building one changes nothing it was given")
  void wsFrames() {
    JsonObject view = new JsonObject().put("name", "mine").put("status", "active");
    assertThat(WireFormat.status(view)).isEqualTo(new JsonObject().put("type", "status").put("service", view));
    JsonObject op = new JsonObject().put("service", "mine").put("action", "restart");
    assertThat(WireFormat.operation(op)).isEqualTo(op.copy().put("type", "operation"));
    assertThat(op.containsKey("type")).as("the published message is not changed").isFalse();
    JsonArray views = new JsonArray().add(view);
    assertThat(WireFormat.snapshot(views)).isEqualTo(new JsonObject().put("type", "snapshot").put("services", views));
    JsonArray errors = new JsonArray().add("services.yaml: bad");
    assertThat(WireFormat.configError(errors))
        .isEqualTo(new JsonObject().put("type", "config_error").put("errors", errors));
    assertThat(new JsonObject(WireFormat.pong())).isEqualTo(new JsonObject().put("type", "pong"));
    assertThat(WireFormat.error(ErrorCode.BAD_REQUEST, "not a JSON object")).isEqualTo(new JsonObject()
        .put("type", "error").put("code", "bad_request").put("message", "not a JSON object"));
  }

  @Test
  @DisplayName("An action's /ws result carries the answer, its type, and the client's id only when it sent one")
  void results() {
    JsonObject answer = new JsonObject().put("status", "success").put("result", "done");
    assertThat(WireFormat.result(answer, 7)).isEqualTo(answer.copy().put("type", "result").put("id", 7));
    assertThat(WireFormat.result(answer, null)).isEqualTo(answer.copy().put("type", "result"));
    assertThat(answer.containsKey("type")).isFalse();
  }

  @Test
  @DisplayName("REST errors are {error, message}; an action's failure code is named error over REST only")
  void apiErrors() {
    assertThat(WireFormat.apiError(ErrorCode.UNKNOWN_SERVICE, "no service named \"x\"")).isEqualTo(
        new JsonObject().put("error", "unknown_service").put("message", "no service named \"x\""));
    JsonObject failure = WireFormat.actionFailure(ErrorCode.UNAVAILABLE, "actions are not available");
    assertThat(failure).isEqualTo(new JsonObject().put("status", "error").put("code", "unavailable")
        .put("message", "actions are not available"));
    assertThat(WireFormat.apiAnswer(failure)).isEqualTo(new JsonObject().put("status", "error")
        .put("error", "unavailable").put("message", "actions are not available"));
    assertThat(failure.getString("code")).as("the bus answer is not changed").isEqualTo("unavailable");
    JsonObject success = new JsonObject().put("status", "success").put("code", "kept");
    assertThat(WireFormat.apiAnswer(success)).isEqualTo(success);
  }

  @Test
  @DisplayName("A client frame's type is read only when it is a string; TCP errors are code: text")
  void clientFrames() {
    assertThat(WireFormat.typeOf(new JsonObject().put("type", "ping"))).isEqualTo(WireFormat.PING);
    assertThat(WireFormat.typeOf(new JsonObject().put("type", 3))).isNull();
    assertThat(WireFormat.typeOf(new JsonObject())).isNull();
    assertThat(WireFormat.tcpError(WireFormat.TCP_UNAUTHORIZED, "send a token")).isEqualTo("unauthorized: send a token");
  }
}
