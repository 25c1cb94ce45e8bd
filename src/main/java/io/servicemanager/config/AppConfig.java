package io.servicemanager.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * config.yaml after defaults and validation (DESIGN §2).
 *
 * @param bus "system", "user" or a D-Bus address such as {@code unix:path=/run/user/1000/bus}
 * @param servicesFile absolute, resolved against the config file's folder
 * @param historyFile absolute, resolved against the config file's folder
 * @param jobTimeoutMs after this the caller hears "timeout" while systemd's job goes on
 * @param settleMs how long a started Type=simple service must keep running to count as started
 * @param auth who may come in
 * @param tls the PEM files to serve HTTPS with, or null for plain HTTP
 * @param metricsPublic whether {@code GET /metrics} needs no credentials
 * @param notifications the webhooks, in file order
 * @param bridge the TCP event-bus bridge (off unless a port is given)
 * @param httpInstances {@code http.instances}: how many HTTP verticles share the port; null: one per
 *     core ({@link #httpInstanceCount})
 * @param limits how long HTTP clients may take
 * @param configHistory where accepted versions are kept; null: nowhere (a configuration built in code)
 * @param insight the event store of operations and transitions
 * @param cluster the {@code cluster} key, or null: standalone (no cluster library is loaded)
 */
public record AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
    long jobTimeoutMs, long settleMs, Auth auth, Tls tls, boolean metricsPublic,
    List<NotificationTarget> notifications, Bridge bridge, Integer httpInstances, HttpLimits limits,
    ConfigHistory configHistory, Insight insight, ClusterConfig cluster) {
  public static final long DEFAULT_JOB_TIMEOUT_MS = 120_000;
  public static final long DEFAULT_SETTLE_MS = 500;

  public AppConfig {
    notifications = List.copyOf(notifications);
  }

  /**
   * @param usersFile users.yaml; absent means nobody can log in yet
   * @param secretFile the session-signing key, made on first run
   * @param anonymousViewer {@code auth.anonymous: viewer}: clients without credentials may look
   */
  public record Auth(Path usersFile, Path secretFile, boolean anonymousViewer) {
    /** users.yaml beside the services file, the key beside the history: the defaults' layout. */
    public static Auth beside(Path servicesFile, Path historyFile) {
      return new Auth(servicesFile.resolveSibling("users.yaml"), historyFile.resolveSibling("secret.key"), false);
    }
  }

  public record Tls(Path cert, Path key) {}

  /**
   * {@code insight}: the SQLite database of operations and transitions (DESIGN §3).
   *
   * @param database absolute
   * @param retentionDays rows older than this are deleted
   */
  public record Insight(Path database, int retentionDays) {
    /** In the history's folder, the defaults' layout. */
    public static Insight beside(Path historyFile) {
      return new Insight(historyFile.resolveSibling("servicemanager.db"), ConfigValidator.DEFAULT_RETENTION_DAYS);
    }
  }

  /**
   * The {@code http.*_seconds} keys: a connection's first request head must arrive within
   * {@code headTimeout} of connecting, a body within {@code bodyTimeout} of its head, the next head
   * within {@code idleTimeout} of the last answer; a connection silent that long is closed too. A
   * /ws peer is pinged every {@code wsPingInterval} and closed when it has not answered by the next.
   */
  public record HttpLimits(int headTimeoutSeconds, int bodyTimeoutSeconds, int idleTimeoutSeconds,
      int wsPingIntervalSeconds) {
    public static final HttpLimits DEFAULTS = new HttpLimits(10, 30, 60, 30);
  }

  /**
   * {@code config_history}: the git repository of accepted versions.
   *
   * @param dir {@code config_history.dir}, absolute
   * @param configFile the config.yaml whose versions are kept, or null when there is none
   */
  public record ConfigHistory(Path dir, Path configFile) {}

  /** @param tcpPort null: no TCP bridge (the default); 0 picks a free port (tests) */
  public record Bridge(Integer tcpPort, String tcpHost) {
    public static final Bridge OFF = new Bridge(null, "127.0.0.1");

    public boolean tcpEnabled() {
      return tcpPort != null;
    }
  }

  /** Standalone. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
      long jobTimeoutMs, long settleMs, Auth auth, Tls tls, boolean metricsPublic,
      List<NotificationTarget> notifications, Bridge bridge, Integer httpInstances, HttpLimits limits,
      ConfigHistory configHistory, Insight insight) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, auth, tls, metricsPublic,
        notifications, bridge, httpInstances, limits, configHistory, insight, null);
  }

  /** One HTTP verticle per core. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
      long jobTimeoutMs, long settleMs, Auth auth, Tls tls, boolean metricsPublic,
      List<NotificationTarget> notifications, Bridge bridge) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, auth, tls, metricsPublic,
        notifications, bridge, null, HttpLimits.DEFAULTS, null, Insight.beside(historyFile));
  }

  /**
   * How many HTTP verticles to deploy: {@code http.instances}, else one per core, so the /ws
   * fan-out and the connections are spread over that many event loops.
   */
  public int httpInstanceCount() {
    return httpInstances != null ? httpInstances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Without a TCP bridge. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
      long jobTimeoutMs, long settleMs, Auth auth, Tls tls, boolean metricsPublic,
      List<NotificationTarget> notifications) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, auth, tls, metricsPublic,
        notifications, Bridge.OFF);
  }

  /** With the default action timings. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, DEFAULT_JOB_TIMEOUT_MS, DEFAULT_SETTLE_MS);
  }

  /** Users beside the services file, plain HTTP, metrics behind credentials, no webhooks. */
  public AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile,
      long jobTimeoutMs, long settleMs) {
    this(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs,
        Auth.beside(servicesFile, historyFile), null, false, List.of());
  }

  /** A copy with the fields {@code change} sets. */
  public AppConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The one place besides the record that lists every field: adding a key touches these two and the schema. */
  public static final class Builder {
    public String httpHost;
    public int httpPort;
    public String bus;
    public Path servicesFile;
    public Path historyFile;
    public long jobTimeoutMs;
    public long settleMs;
    public Auth auth;
    public Tls tls;
    public boolean metricsPublic;
    public List<NotificationTarget> notifications;
    public Bridge bridge;
    public Integer httpInstances;
    public HttpLimits limits;
    public ConfigHistory configHistory;
    public Insight insight;
    public ClusterConfig cluster;

    private Builder(AppConfig c) {
      httpHost = c.httpHost;
      httpPort = c.httpPort;
      bus = c.bus;
      servicesFile = c.servicesFile;
      historyFile = c.historyFile;
      jobTimeoutMs = c.jobTimeoutMs;
      settleMs = c.settleMs;
      auth = c.auth;
      tls = c.tls;
      metricsPublic = c.metricsPublic;
      notifications = c.notifications;
      bridge = c.bridge;
      httpInstances = c.httpInstances;
      limits = c.limits;
      configHistory = c.configHistory;
      insight = c.insight;
      cluster = c.cluster;
    }

    AppConfig build() {
      return new AppConfig(httpHost, httpPort, bus, servicesFile, historyFile, jobTimeoutMs, settleMs, auth, tls,
          metricsPublic, notifications, bridge, httpInstances, limits, configHistory, insight, cluster);
    }
  }
}
