package io.servicemanager.metrics;

import io.servicemanager.status.ServiceView;
import java.util.List;

/**
 * Our meters, the one place they are named. Micrometer spells them with dots; the Prometheus
 * registry writes them with underscores and its suffixes ({@code _total} for counters, {@code _seconds}
 * for timers), so {@code servicemanager.actions} is scraped as {@code servicemanager_actions_total}.
 */
public final class MetricNames {
  /** Counter {service, action, result}: every finished action. */
  public static final String ACTIONS = "servicemanager.actions";
  /** Timer (histogram) {service, action}: how long an action took, from its duration_ms. */
  public static final String ACTION_DURATION = "servicemanager.action.duration";
  /** Gauge {service}: 1 while a visible service is active, else 0. Hidden services have none. */
  public static final String SERVICE_ACTIVE = "servicemanager.service.active";
  /**
   * Gauge {service, state}: one series per state in {@link #STATES}, 1 for the service's state and 0
   * for the others, like node_exporter's {@code node_systemd_unit_state}. All 0 while the state is
   * not read yet. Hidden services have none.
   */
  public static final String SERVICE_STATE = "servicemanager.service.state";
  /** The values of {@link #TAG_STATE}: a service view's {@code status}, but {@code checking}. */
  public static final List<String> STATES = List.of(
      ServiceView.ACTIVE, ServiceView.INACTIVE, ServiceView.FAILED, ServiceView.ACTIVATING,
      ServiceView.DEACTIVATING, ServiceView.RELOADING, ServiceView.ERROR);
  /**
   * Counter {service, reason}: recorded failures of a visible service; {@code reason} is the failure's
   * code ({@code exit-code:1}, {@code signal:KILL}, {@code timeout}, {@code start-limit-hit}, …).
   */
  public static final String SERVICE_FAILURES = "servicemanager.service.failures";
  /** Counter {service, cause}: returns of a visible service to up from a known down state, by cause. */
  public static final String SERVICE_RESTARTS = "servicemanager.service.restarts";
  /** Gauge: open /ws connections. */
  public static final String WS_CLIENTS = "servicemanager.ws.clients";
  /** Gauge: 1 while the status verticle's D-Bus connection is up, else 0. */
  public static final String DBUS_CONNECTED = "servicemanager.dbus.connected";
  /** Timer (histogram): a PropertiesChanged signal received from D-Bus → its /ws frame written to every client. */
  public static final String PUSH_LATENCY = "servicemanager.push.latency";
  /** Counter {target, result=ok|failed|dropped}: webhook notifications, each counted once at its end. */
  public static final String WEBHOOK_DELIVERIES = "servicemanager.webhook.deliveries";
  /** Counter {target}: webhook attempts that failed and were tried again. */
  public static final String WEBHOOK_RETRIES = "servicemanager.webhook.retries";
  /** Counter: failed password and token checks (wrong password, unknown user or token). */
  public static final String LOGIN_FAILURES = "servicemanager.login.failures";

  /** Counter: CPU seconds used by this process (Micrometer's process.cpu.time counted nanoseconds). */
  public static final String PROCESS_CPU = "process.cpu";
  /** Gauge: processors available to the JVM (Micrometer's system.cpu.count, a name Prometheus reserves). */
  public static final String SYSTEM_CPUS = "system.cpus";

  public static final String TAG_SERVICE = "service";
  public static final String TAG_STATE = "state";
  public static final String TAG_ACTION = "action";
  public static final String TAG_RESULT = "result";
  public static final String TAG_REASON = "reason";
  public static final String TAG_CAUSE = "cause";
  /** A webhook's index in config.yaml's notifications list: its URL may hold a secret. */
  public static final String TAG_TARGET = "target";

  private MetricNames() {}
}
