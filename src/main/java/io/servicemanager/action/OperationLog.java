package io.servicemanager.action;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Where finished actions are recorded; the answer goes out only once {@link #append} succeeded. */
public interface OperationLog {
  OperationLog NONE = record -> Future.succeededFuture();

  Future<Void> append(JsonObject record);

  /** Waits for pending appends; called when the action verticle stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
