package io.servicemanager.action;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Where finished actions are recorded; the answer goes out only once {@link #append} succeeded. */
public interface OperationLog {
  OperationLog NONE = record -> Future.succeededFuture();

  Future<Void> append(JsonObject record);

  /**
   * Appends {@code records} in order (the callers of one job); completes once all are durable.
   * A store that can should write them with one sync.
   */
  default Future<Void> appendAll(List<JsonObject> records) {
    Future<Void> done = Future.succeededFuture();
    for (JsonObject record : records) {
      done = done.compose(v -> append(record));
    }
    return done;
  }

  /**
   * {@link #appendAll(List)}, with {@code known} told the outcome as soon as it is known, on
   * whatever thread knows it (a store with a writer thread of its own: that thread, right after its
   * commit), and before the returned future completes. For what needs no context of its own, such as
   * an event-bus reply: it goes out one thread hand-off sooner.
   */
  default Future<Void> appendAll(List<JsonObject> records, Handler<AsyncResult<Void>> known) {
    return appendAll(records).andThen(known);
  }

  /** Waits for pending appends; called when the action verticle stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
