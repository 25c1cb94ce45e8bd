package io.servicemanager.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.NetTransport;
import io.servicemanager.ThreadBudget;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Prometheus registry per Vert.x instance, holding Vert.x's own meters (HTTP server, event bus,
 * pools), the JVM's and ours, so {@code GET /metrics} is one scrape of everything.
 */
public final class Metrics {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Weak: a closed Vert.x instance of a test takes its registry with it. */
  private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = new WeakHashMap<>();

  private Metrics() {}

  /**
   * A Vert.x instance reporting its metrics into a registry of its own. Each gets its own registry
   * name, because vertx-micrometer-metrics shares registries of the same name across instances in
   * one JVM, and tests run several.
   */
  public static Vertx vertx() {
    PrometheusMeterRegistry registry = newRegistry();
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("servicemanager-" + INSTANCES.incrementAndGet())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        // Per address: our handful of addresses (Vert.x's internal reply addresses are never counted).
        .addLabels(Label.EB_ADDRESS);
    Vertx vertx = NetTransport.configured().applyTo(Vertx.builder())
        .with(ThreadBudget.apply(new VertxOptions().setMetricsOptions(options)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    synchronized (REGISTRIES) {
      REGISTRIES.put(vertx, registry);
    }
    return vertx;
  }

  /**
   * The registry of a Vert.x instance made by {@link #vertx()}; for any other instance a registry of
   * its own with our meters and the JVM's, but without Vert.x's (they must be enabled at creation).
   */
  public static PrometheusMeterRegistry registryOf(Vertx vertx) {
    synchronized (REGISTRIES) {
      return REGISTRIES.computeIfAbsent(vertx, v -> newRegistry());
    }
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(ProcessMeters.denyReplaced());
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ProcessMeters.binder().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }
}
