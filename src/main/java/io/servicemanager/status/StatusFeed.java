package io.servicemanager.status;

import io.servicemanager.Addresses;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What clients are told of the units in a {@link UnitTable}: a service's view when it changed, the
 * bus state when it flips, and whole snapshots. Owns the connection state the views depend on.
 */
final class StatusFeed {
  private static final Logger LOG = LoggerFactory.getLogger(StatusFeed.class);

  private final EventBus eventBus;
  private final UnitTable table;
  private final RecentFacts recent;
  private boolean busUp;
  /** False until the first connection attempt ends: until then every status is "checking". */
  private boolean settled;

  StatusFeed(EventBus eventBus, UnitTable table, RecentFacts recent) {
    this.eventBus = eventBus;
    this.table = table;
    this.recent = recent;
  }

  boolean busUp() {
    return busUp;
  }

  /** Connected and read. */
  void up() {
    settled = true;
    if (!busUp) {
      LOG.info("following {} units on D-Bus", table.all().size());
      busUp = true;
      eventBus.publish(Addresses.BUS_STATE, new JsonObject().put("connected", true));
    }
  }

  /** A connection attempt failed: the first one ends "checking", for error. */
  void attemptFailed() {
    if (!settled) {
      settled = true;
      publishAll();
    }
    down();
  }

  /** Bus gone: every status turns error at once, never a stale "active". */
  void down() {
    if (!busUp) {
      return;
    }
    busUp = false;
    eventBus.publish(Addresses.BUS_STATE, new JsonObject().put("connected", false));
    publishAll();
  }

  void publishAll() {
    for (TrackedUnit tracked : table.all()) {
      publish(tracked, new DeliveryOptions());
    }
  }

  void publish(String unit) {
    publish(unit, new DeliveryOptions());
  }

  /** The receive time travels with the view as a header, for the push-latency meter. */
  void publishSignalled(String unit, long receivedNanos) {
    publish(unit, new DeliveryOptions().addHeader(Addresses.SIGNAL_RECEIVED_NANOS, Long.toString(receivedNanos)));
  }

  private void publish(String unit, DeliveryOptions options) {
    TrackedUnit tracked = table.get(unit);
    if (tracked != null) {
      publish(tracked, options);
    }
  }

  private void publish(TrackedUnit tracked, DeliveryOptions options) {
    for (ServiceDefinition def : tracked.services()) {
      JsonObject view = view(def, tracked);
      if (tracked.changes(def.name(), view)) {
        eventBus.publish(Addresses.STATUS, view, options);
      }
    }
  }

  /** {@code {"services": [view…], "dbus": "connected"|"disconnected"}}, hidden services included. */
  JsonObject snapshot(ServiceCatalogue catalogue) {
    JsonArray services = new JsonArray();
    for (ServiceDefinition def : catalogue.all()) {
      services.add(view(def, table.get(def.unit())));
    }
    return new JsonObject()
        .put("services", services)
        .put("dbus", busUp ? "connected" : "disconnected");
  }

  private JsonObject view(ServiceDefinition def, TrackedUnit tracked) {
    if (!def.statusCheckAllowed() || !settled) {
      return ServiceView.of(def, null, true, null);
    }
    return tracked == null ? ServiceView.of(def, null, busUp, null, recent.of(def))
        : ServiceView.of(def, tracked.snapshot(), busUp, tracked.lastCheck(), recent.of(def));
  }
}
