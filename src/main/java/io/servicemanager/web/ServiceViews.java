package io.servicemanager.web;

import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Every service's full view, from the status verticle's snapshot; route groups filter it through an Audience. */
final class ServiceViews {
  private ServiceViews() {}

  static Future<JsonArray> all(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT, new JsonObject())
        .map(m -> m.body().getJsonArray("services"));
  }

  /** The full view of the service named {@code name}, or an empty object when there is none. */
  static Future<JsonObject> named(Vertx vertx, String name) {
    return all(vertx).map(views -> views.stream()
        .map(JsonObject.class::cast)
        .filter(v -> name.equals(v.getString("name")))
        .findFirst().orElse(new JsonObject()));
  }
}
