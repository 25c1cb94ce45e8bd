package io.servicemanager.action;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.status.ServiceView;
import io.servicemanager.systemd.Action;
import io.servicemanager.systemd.JobOutcome;
import io.vertx.core.json.JsonObject;

/**
 * Builds the operation record: one per finished action, published on {@code servicemanager.operation}
 * and appended to the history file. Nothing else assembles one.
 */
public final class OperationRecord {
  private OperationRecord() {}

  public static JsonObject of(ServiceDefinition service, Action action, String user, JobOutcome outcome) {
    return new JsonObject()
        .put("at", ServiceView.iso(outcome.at()))
        .put("service", service.name())
        .put("unit", service.unit())
        .put("action", action.word())
        .put("user", user)
        .put("result", outcome.result())
        .put("systemd_result", outcome.systemdResult())
        .put("exit_status", outcome.exitStatus())
        .put("duration_ms", outcome.durationMs())
        .put("message", outcome.message());
  }
}
