package io.servicemanager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Turns the event bus into meters, so the status and action paths carry no metrics code.
 *
 * <ul>
 *   <li>{@code servicemanager.operation} → {@link MetricNames#ACTIONS} and {@link MetricNames#ACTION_DURATION};
 *   <li>{@code servicemanager.status} → {@link MetricNames#SERVICE_ACTIVE} and
 *       {@link MetricNames#SERVICE_STATE} (only visible services are ever published there, so a
 *       hidden one never gets a gauge);
 *   <li>{@code servicemanager.transition} → {@link MetricNames#SERVICE_FAILURES} and
 *       {@link MetricNames#SERVICE_RESTARTS} (transitions are recorded for visible services only);
 *   <li>{@code servicemanager.catalogue} → drops the meters of services no longer visible;
 *   <li>{@code servicemanager.bus} → {@link MetricNames#DBUS_CONNECTED}.
 * </ul>
 *
 * Deployed before the status verticle, so it hears the first bus state and every first view.
 */
public final class MetricsVerticle extends VerticleBase {
  /** Buckets for action durations: a oneshot takes milliseconds, a settle half a second, a slow stop minutes. */
  private static final Duration[] ACTION_BUCKETS = {
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

  private final MeterRegistry registry;
  private final ServiceMeters services;
  private final TransitionMeters transitions;
  private final AtomicInteger dbusConnected = new AtomicInteger();

  public MetricsVerticle(MeterRegistry registry) {
    this.registry = registry;
    this.services = new ServiceMeters(registry);
    this.transitions = new TransitionMeters(registry);
  }

  @Override
  public Future<?> start() {
    Gauge.builder(MetricNames.DBUS_CONNECTED, dbusConnected, AtomicInteger::get)
        .description("1 while the D-Bus connection to systemd is up")
        .register(registry);
    vertx.eventBus().<JsonObject>consumer(Addresses.OPERATION, m -> operation(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS, m -> status(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSITION, m -> transitions.transition(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.CATALOGUE, m -> catalogue(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.BUS_STATE,
        m -> dbusConnected.set(m.body().getBoolean("connected", false) ? 1 : 0));
    return Future.succeededFuture();
  }

  private void operation(JsonObject record) {
    String service = record.getString("service");
    String action = record.getString("action");
    Counter.builder(MetricNames.ACTIONS)
        .description("Finished actions by service, action and result")
        .tag(MetricNames.TAG_SERVICE, service)
        .tag(MetricNames.TAG_ACTION, action)
        .tag(MetricNames.TAG_RESULT, record.getString("result"))
        .register(registry)
        .increment();
    Timer.builder(MetricNames.ACTION_DURATION)
        .description("How long actions took, from the request to systemd's verdict")
        .tag(MetricNames.TAG_SERVICE, service)
        .tag(MetricNames.TAG_ACTION, action)
        .serviceLevelObjectives(ACTION_BUCKETS)
        .register(registry)
        .record(Duration.ofMillis(record.getLong("duration_ms", 0L)));
  }

  private void status(JsonObject view) {
    if (!view.getBoolean("status_check_allowed", false)) {
      return; // never published today; a hidden service must not get a gauge if that changes
    }
    services.update(view.getString("name"), view.getString("status"));
  }

  /** After a reload: a service removed or hidden loses its gauges; the others follow their next view. */
  private void catalogue(JsonObject snapshot) {
    List<JsonObject> visible = snapshot.getJsonArray("services").stream().map(JsonObject.class::cast)
        .filter(view -> view.getBoolean("status_check_allowed", false))
        .toList();
    Set<String> names = visible.stream().map(view -> view.getString("name")).collect(Collectors.toSet());
    services.retain(names);
    transitions.retain(names);
    visible.forEach(this::status);
  }
}
