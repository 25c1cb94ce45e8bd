package io.servicemanager.history;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.insight.OperationQuery;
import io.servicemanager.insight.OperationStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One service's finished actions on the bus, for a fleet node to answer {@code servicemanager.<node>.history}
 * ({@link Addresses#HISTORY}): {"service", "limit"} → {"entries": [record, …]} newest first. Callers have
 * checked the identity's right to see the service first, as {@code GET /api/history} does.
 */
public final class HistoryVerticle extends VerticleBase {
  private final OperationStore operations;

  public HistoryVerticle(OperationStore operations) {
    this.operations = operations;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.HISTORY, m -> {
      OperationQuery query;
      try {
        query = new OperationQuery(null, (String) m.body().getValue("service"), null, null,
            m.body().getInteger("limit", HistoryQuery.DEFAULT_LIMIT));
      } catch (ClassCastException | IllegalArgumentException e) {
        m.reply(new JsonObject().put("error", ErrorCode.BAD_REQUEST.code()).put("message", e.getMessage()));
        return;
      }
      operations.query(query)
          .onSuccess(page -> m.reply(new JsonObject().put("entries", new JsonArray(page.entries()))))
          .onFailure(e -> m.fail(500, "the history cannot be read: " + e.getMessage()));
    }).completion();
  }
}
