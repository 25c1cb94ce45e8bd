package io.servicemanager.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Set;

/**
 * The two meters of Micrometer's ProcessorMetrics whose Prometheus names {@code promtool check
 * metrics} rejects, under the names Prometheus client libraries use: {@code process_cpu_time_ns_total}
 * (an abbreviated unit) becomes {@code process_cpu_seconds_total}, {@code system_cpu_count} (a
 * suffix reserved for histograms and summaries) becomes {@code system_cpus}.
 */
final class ProcessMeters implements MeterBinder {
  private static final Set<String> REPLACED = Set.of("process.cpu.time", "system.cpu.count");
  private static final double NANOS_PER_SECOND = 1e9;

  private ProcessMeters() {}

  /** Add before ProcessorMetrics binds: it keeps the meters replaced here out of the registry. */
  static MeterFilter denyReplaced() {
    return MeterFilter.deny(id -> REPLACED.contains(id.getName()));
  }

  static ProcessMeters binder() {
    return new ProcessMeters();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Runtime runtime = Runtime.getRuntime();
    Gauge.builder(MetricNames.SYSTEM_CPUS, runtime, Runtime::availableProcessors)
        .description("The number of processors available to the Java virtual machine")
        .register(registry);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot && hotspot.getProcessCpuTime() >= 0) {
      FunctionCounter.builder(MetricNames.PROCESS_CPU, hotspot, bean -> bean.getProcessCpuTime() / NANOS_PER_SECOND)
          .description("CPU time used by the Java virtual machine process")
          .baseUnit("seconds")
          .register(registry);
    }
  }
}
