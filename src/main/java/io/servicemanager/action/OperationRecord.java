package io.servicemanager.action;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Builds the operation record: one per finished action, published on {@code servicemanager.operation}
 * and appended to the history file. Nothing else assembles one.
 */
public final class OperationRecord {
  private OperationRecord() {}

  public static JsonObject of(ServiceDefinition service, String action, String user, Outcome outcome,
      Instant at, long durationMs) {
    return new JsonObject()
        .put("at", ServiceView.iso(at))
        .put("service", service.name())
        .put("unit", service.unit())
        .put("action", action)
        .put("user", user)
        .put("result", outcome.result())
        .put("systemd_result", outcome.systemdResult())
        .put("exit_status", outcome.exitStatus())
        .put("duration_ms", durationMs)
        .put("message", outcome.message());
  }
}
