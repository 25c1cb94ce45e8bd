package io.servicemanager.config;

import java.nio.file.Path;
import java.util.List;

/**
 * config.yaml after defaults and validation (DESIGN §2).
 *
 * @param bus "system", "user" or a D-Bus address such as {@code unix:path=/run/user/1000/bus}
 * @param servicesFile absolute, resolved against the config file's folder
 * @param historyFile absolute, resolved against the config file's folder
 * @param jobTimeoutMs after this the caller hears "timeout" while systemd's job goes on
 * @param settleMs how long a started Type=simple service must keep running to count as started
 * @param metricsPublic whether {@code GET /metrics} needs no credentials
 * @param notifications the webhooks, in file order
 */
public record AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
    long jobTimeoutMs, long settleMs, boolean metricsPublic, List<NotificationTarget> notifications) {
  public static final long DEFAULT_JOB_TIMEOUT_MS = 120_000;
  public static final long DEFAULT_SETTLE_MS = 500;

  public AppConfig {
    notifications = List.copyOf(notifications);
  }

  /** Metrics behind credentials, no webhooks. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
      long jobTimeoutMs, long settleMs) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, false, List.of());
  }

  public AppConfig withMetricsPublic(boolean open) {
    return new AppConfig(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, open, notifications);
  }

  public AppConfig withNotifications(List<NotificationTarget> targets) {
    return new AppConfig(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, metricsPublic, targets);
  }

  /** With the default action timings. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, DEFAULT_JOB_TIMEOUT_MS, DEFAULT_SETTLE_MS);
  }
}
