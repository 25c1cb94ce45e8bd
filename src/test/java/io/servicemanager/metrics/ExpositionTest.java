package io.servicemanager.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.testing.NodeTools;
import io.servicemanager.testing.PrometheusText;
import io.servicemanager.testing.Promtool;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The scrape follows Prometheus' conventions, checked by Prometheus' own promtool. */
class ExpositionTest {
  static Vertx vertx;
  static PrometheusMeterRegistry registry;
  static ServiceMeters services;

  @BeforeAll
  static void meters() {
    vertx = Metrics.vertx();
    registry = Metrics.registryOf(vertx);
    services = new ServiceMeters(registry);
    services.update("web", "active");
    services.update("broken", "failed");
    services.update("stopped", "inactive");
    services.update("new", "checking");
    // Our meters with every kind of sample: a counter, and a histogram with a bound under 1 ms.
    Counter.builder(MetricNames.ACTIONS).description("Finished actions").tag(MetricNames.TAG_SERVICE, "web")
        .register(registry).increment();
    Timer.builder(MetricNames.PUSH_LATENCY).description("Push latency")
        .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofSeconds(1))
        .register(registry).record(Duration.ofMillis(3));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static PrometheusText text() {
    return PrometheusText.parse(Exposition.scrape(registry, false).body());
  }

  @Test
  @DisplayName("promtool check metrics passes the whole scrape: ours, Vert.x's and the JVM's meters")
  void promtool() {
    Exposition scrape = Exposition.scrape(registry, false);
    NodeTools.Result check = Promtool.checkMetrics(scrape.body());
    assertThat(check.exitCode()).as(check.describe()).isZero();
    assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
  }

  @Test
  @DisplayName("CPU meters carry conventional names: process_cpu_seconds_total and system_cpus")
  void processNames() {
    PrometheusText scrape = text();
    assertThat(scrape.value("process_cpu_seconds_total")).isPositive();
    assertThat(scrape.value("system_cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(scrape.has("process_cpu_time_ns_total")).isFalse();
    assertThat(scrape.has("system_cpu_count")).isFalse();
    assertThat(scrape.has("process_cpu_usage")).as("the rest of ProcessorMetrics stays").isTrue();
  }

  @Test
  @DisplayName("Bucket bounds print in plain decimal, as Prometheus client libraries print them: le=\"0.00025\"")
  void plainBucketBounds() {
    String body = Exposition.scrape(registry, false).body();
    assertThat(body).contains("servicemanager_push_latency_seconds_bucket{le=\"0.00025\"} 0");
    assertThat(body).doesNotContainPattern("le=\"[^\"]*E[^\"]*\"");
    assertThat(body).contains("le=\"0.001\"", "le=\"1.0\"", "le=\"+Inf\"");
  }

  @Test
  @DisplayName("Only the le and quantile labels are rewritten: a label value that looks like a number stays as it is")
  void onlyBoundsRewritten() {
    assertThat(Exposition.plainBounds("x{service=\"2.5E-4\",le=\"1.0E7\"} 1\ny{quantile=\"5.0E-4\"} 2\n"))
        .isEqualTo("x{service=\"2.5E-4\",le=\"10000000\"} 1\ny{quantile=\"0.0005\"} 2\n");
  }

  @Test
  @DisplayName("service_state is one-hot over the seven states: failed and stopped differ, an unread state is all 0")
  void serviceState() {
    PrometheusText scrape = text();
    assertThat(scrape.samples("servicemanager_service_state", "service", "web"))
        .extracting(s -> s.labels().get("state")).containsExactlyInAnyOrderElementsOf(MetricNames.STATES);
    assertThat(MetricNames.STATES)
        .containsExactly("active", "inactive", "failed", "activating", "deactivating", "reloading", "error");
    for (String service : List.of("web", "broken", "stopped")) {
      assertThat(scrape.sum("servicemanager_service_state", "service", service)).as(service).isEqualTo(1);
    }
    assertThat(scrape.value("servicemanager_service_state", "service", "broken", "state", "failed")).isEqualTo(1);
    assertThat(scrape.value("servicemanager_service_state", "service", "stopped", "state", "inactive")).isEqualTo(1);
    assertThat(scrape.value("servicemanager_service_active", "service", "broken"))
        .as("service_active alone cannot tell failed from stopped")
        .isEqualTo(scrape.value("servicemanager_service_active", "service", "stopped")).isZero();
    assertThat(scrape.sum("servicemanager_service_state", "service", "new")).isZero();
    assertThat(scrape.samples("servicemanager_service_state", "service", "new")).hasSize(MetricNames.STATES.size());
  }

  @Test
  @DisplayName("A service no longer visible loses all its gauges")
  void retain() {
    ServiceMeters own = new ServiceMeters(registry);
    own.update("gone-soon", "active");
    assertThat(text().samples("servicemanager_service_state", "service", "gone-soon")).hasSize(7);
    own.retain(Set.of());
    assertThat(text().samples("servicemanager_service_state", "service", "gone-soon")).isEmpty();
    assertThat(text().samples("servicemanager_service_active", "service", "gone-soon")).isEmpty();
  }

  @Test
  @DisplayName("OpenMetrics 1.0.0: its content type, counters as families without _total, and # EOF at the end")
  void openMetrics() {
    Exposition scrape = Exposition.scrape(registry, true);
    assertThat(scrape.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(scrape.body()).endsWith("\n# EOF\n");
    assertThat(scrape.body()).contains("# TYPE servicemanager_actions counter\n",
        "servicemanager_actions_total{service=\"web\"} 1.0\n",
        "# TYPE process_cpu_seconds counter\n",
        "servicemanager_push_latency_seconds_bucket{le=\"0.00025\"} 0\n",
        "# TYPE servicemanager_service_state gauge\n");
    assertThat(scrape.body()).doesNotContain("# TYPE servicemanager_actions_total");
    assertThat(scrape.body()).doesNotContainPattern("le=\"[^\"]*E[^\"]*\"");
  }
}
