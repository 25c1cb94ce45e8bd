package io.servicemanager.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servicemanager.status.ServiceView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gauges of each visible service: {@link MetricNames#SERVICE_ACTIVE} and the one-hot
 * {@link MetricNames#SERVICE_STATE} family, all reading the service's last {@code status}.
 * Used from one verticle's context only.
 */
final class ServiceMeters {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<String>> states = new HashMap<>();
  private final Map<String, List<Meter>> meters = new HashMap<>();

  ServiceMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records a visible service's status (a view's {@code status}), registering its gauges on first sight. */
  void update(String service, String status) {
    states.computeIfAbsent(service, this::register).set(status);
  }

  /** Removes the gauges of every service not in {@code visible}. */
  void retain(Set<String> visible) {
    for (String service : Set.copyOf(states.keySet())) {
      if (!visible.contains(service)) {
        states.remove(service);
        meters.remove(service).forEach(registry::remove);
      }
    }
  }

  private AtomicReference<String> register(String service) {
    AtomicReference<String> status = new AtomicReference<>();
    List<Meter> own = new ArrayList<>();
    own.add(Gauge.builder(MetricNames.SERVICE_ACTIVE, status, s -> ServiceView.ACTIVE.equals(s.get()) ? 1 : 0)
        .description("1 while the service is active, else 0 (visible services only)")
        .tag(MetricNames.TAG_SERVICE, service)
        .register(registry));
    for (String state : MetricNames.STATES) {
      own.add(Gauge.builder(MetricNames.SERVICE_STATE, status, s -> state.equals(s.get()) ? 1 : 0)
          .description("1 for the service's state, 0 for the others (visible services only)")
          .tag(MetricNames.TAG_SERVICE, service)
          .tag(MetricNames.TAG_STATE, state)
          .register(registry));
    }
    meters.put(service, own);
    return status;
  }
}
