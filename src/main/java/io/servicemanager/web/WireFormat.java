package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every shape the web layer writes (README, openapi.yaml): the /ws frames, the API error body and
 * action answer, and the TCP bridge's frame types and error texts. Nothing else in the web layer
 * spells a frame type or an error field.
 *
 * <p>The action verticle answers {@code {"status":"error","code":…}} on the bus and over /ws and the
 * bridges; REST names that field {@code error}, like every other REST error: {@link #apiAnswer} is
 * the one place it is renamed. Public for the action verticle, which builds its failure answers here.
 */
public final class WireFormat {
  /** The field that names a frame's type, on /ws and the TCP bridge alike. */
  static final String TYPE = "type";
  /** The field naming a fleet node in a view, a /ws action or a bridged action request ({@link io.servicemanager.auth.FleetPatterns#NODE}). */
  static final String NODE = io.servicemanager.auth.FleetPatterns.NODE;
  /** /ws frame types, server to client. */
  static final String STATUS = "status";
  static final String OPERATION = "operation";
  /** A service whose start (or restart) was reported done failed within a minute of it. */
  static final String START_FAILED = "start_failed";
  static final String SNAPSHOT = "snapshot";
  static final String CONFIG_ERROR = "config_error";
  static final String RESULT = "result";
  static final String ERROR = "error";
  static final String PONG = "pong";
  static final String LOG = "log";
  /** /ws frame types, client to server. */
  static final String PING = "ping";
  static final String ACTION = "action";
  static final String LOGS = "logs";

  /** The SockJS bridge's frame type of a message it delivers (vertx-web's protocol). */
  static final String SOCKJS_RECEIVE = "rec";

  /** TCP bridge frame types (vertx-tcp-eventbus-bridge's protocol). */
  static final String TCP_PING = "ping";
  static final String TCP_PONG = "pong";
  static final String TCP_MESSAGE = "message";
  static final String TCP_REGISTER = "register";
  static final String TCP_UNREGISTER = "unregister";
  static final String TCP_SEND = "send";
  static final String TCP_PUBLISH = "publish";
  /** TCP bridge error texts, the protocol's own where it has one. */
  static final String TCP_INVALID_JSON = "invalid_json";
  static final String TCP_ACCESS_DENIED = "access_denied";
  static final String TCP_UNKNOWN_TYPE = "unknown_type";
  static final String TCP_UNKNOWN_ADDRESS = "unknown_address";
  static final String TCP_UNAUTHORIZED = "unauthorized";

  private static final String PONG_TEXT = new JsonObject().put(TYPE, PONG).encode();

  private WireFormat() {}

  static JsonObject status(JsonObject view) {
    return frame(STATUS).put("service", view);
  }

  /** The operation as published, with its type added (the published message is not changed). */
  static JsonObject operation(JsonObject operation) {
    return operation.copy().put(TYPE, OPERATION);
  }

  /** {@code servicemanager.start.failed} as published, with its type added. */
  static JsonObject startFailed(JsonObject followUp) {
    return followUp.copy().put(TYPE, START_FAILED);
  }

  static JsonObject snapshot(JsonArray views) {
    return frame(SNAPSHOT).put("services", views);
  }

  static JsonObject configError(JsonArray errors) {
    return frame(CONFIG_ERROR).put("errors", errors);
  }

  /** A publication as the SockJS bridge delivers it: the library's own envelope, without headers. */
  static JsonObject sockJsMessage(String address, JsonObject body) {
    return frame(SOCKJS_RECEIVE).put("address", address).put("body", body);
  }

  /** A publication as the TCP bridge delivers it (the protocol's {@code message}, not a reply), without headers. */
  static JsonObject tcpMessage(String address, JsonObject body) {
    return frame(TCP_MESSAGE).put("address", address).put("body", body).put("send", false);
  }

  /** An action's answer over /ws, with the client's {@code id} when it sent one. */
  static JsonObject result(JsonObject answer, Object id) {
    JsonObject result = answer.copy().put(TYPE, RESULT);
    return id == null ? result : result.put("id", id);
  }

  /** A /ws error: {@code {"type":"error","code":…,"message":…}}. */
  static JsonObject error(ErrorCode code, String message) {
    return frame(ERROR).put("code", code.code()).put("message", message);
  }

  /** Journal entries of one service: {@code {"type":"log","service":S,"entries":[…]}}. */
  static JsonObject log(String service, JsonArray entries) {
    return frame(LOG).put("service", service).put("entries", entries);
  }

  /** A /ws error about one service's journal, naming the service. */
  static JsonObject logError(String service, ErrorCode code, String message) {
    return error(code, message).put("service", service);
  }

  static String pong() {
    return PONG_TEXT;
  }

  /** The REST error body, {@code {"error": CODE, "message": TEXT}}. */
  static JsonObject apiError(ErrorCode code, String message) {
    return new JsonObject().put("error", code.code()).put("message", message);
  }

  /** An action answer as it appears on the bus, /ws and the bridges: {@code code} names the failure. */
  public static JsonObject actionFailure(ErrorCode code, String message) {
    return new JsonObject().put("status", "error").put("code", code.code()).put("message", message);
  }

  /** An action answer over REST: a failure's {@code code} is named {@code error}, as in every REST error. */
  static JsonObject apiAnswer(JsonObject answer) {
    JsonObject body = answer.copy();
    if (!"success".equals(answer.getString("status")) && body.containsKey("code")) {
      body.put("error", body.remove("code"));
    }
    return body;
  }

  /** A TCP bridge error text: the failure's code, then what it means. */
  static String tcpError(String code, String message) {
    return code + ": " + message;
  }

  /** A client frame's type, or null when it names none. */
  static String typeOf(JsonObject frame) {
    return frame.getValue(TYPE) instanceof String type ? type : null;
  }

  private static JsonObject frame(String type) {
    return new JsonObject().put(TYPE, type);
  }
}
