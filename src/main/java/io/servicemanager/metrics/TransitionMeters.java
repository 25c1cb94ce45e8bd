package io.servicemanager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servicemanager.insight.Uptime;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The failure and restart counters, from recorded transitions: a failure counts under its reason
 * code, a return to up from a known down state under its cause (as the statistics count restarts).
 */
final class TransitionMeters {
  private final MeterRegistry registry;

  TransitionMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A transition as published on {@code servicemanager.transition}. */
  void transition(JsonObject t) {
    String service = t.getString("service");
    if (t.getString("reason") != null && t.getString("message") != null) {
      Counter.builder(MetricNames.SERVICE_FAILURES)
          .description("Recorded failures of a service, by reason")
          .tag(MetricNames.TAG_SERVICE, service)
          .tag(MetricNames.TAG_REASON, t.getString("reason"))
          .register(registry)
          .increment();
    }
    String from = t.getString("from");
    if (from != null && Boolean.FALSE.equals(Uptime.up(from)) && Boolean.TRUE.equals(Uptime.up(t.getString("to")))) {
      Counter.builder(MetricNames.SERVICE_RESTARTS)
          .description("Returns of a service to up from a known down state, by cause (operation, systemd, external)")
          .tag(MetricNames.TAG_SERVICE, service)
          .tag(MetricNames.TAG_CAUSE, t.getString("cause"))
          .register(registry)
          .increment();
    }
  }

  /** Drops the counters of services no longer visible: a hidden service has no figures at all. */
  void retain(Set<String> visible) {
    for (String name : List.of(MetricNames.SERVICE_FAILURES, MetricNames.SERVICE_RESTARTS)) {
      for (Meter meter : registry.find(name).meters()) {
        if (!visible.contains(meter.getId().getTag(MetricNames.TAG_SERVICE))) {
          registry.remove(meter);
        }
      }
    }
  }
}
