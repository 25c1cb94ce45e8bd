package io.servicemanager.config;

import static io.servicemanager.config.ConfigValidator.show;

import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * config.yaml's typed records, read from a document its schema checked, with the checks a schema
 * cannot say as clearly: paths the file system cannot hold, a /ws ping slower than the idle timeout,
 * a bridge host without a port. Each value is the file's when there, else its default.
 */
final class AppRules {
  private final JsonObject yaml;
  private final Path baseDir;
  private final SchemaVerdict verdict;
  private final Problems problems;

  AppRules(JsonObject yaml, Path baseDir, SchemaVerdict verdict, Problems problems) {
    this.yaml = yaml;
    this.baseDir = baseDir;
    this.verdict = verdict;
    this.problems = problems;
  }

  AppConfig read() {
    JsonObject http = section(yaml, "http");
    JsonObject actions = section(yaml, "actions");
    JsonObject auth = section(yaml, "auth");
    JsonObject insight = section(yaml, "insight");
    // Absent: one per core, decided at deploy time (the machine running it, not the one validating).
    Integer instances = http.getValue("instances") instanceof Number n ? n.intValue() : null;
    return new AppConfig(text(http, "host", ConfigValidator.DEFAULT_HOST),
        whole(http, "port", ConfigValidator.DEFAULT_PORT),
        text(section(yaml, "systemd"), "bus", ConfigValidator.DEFAULT_BUS),
        path("", yaml, "services_file", ConfigValidator.DEFAULT_SERVICES_FILE),
        path("", yaml, "history_file", ConfigValidator.DEFAULT_HISTORY_FILE),
        whole(actions, "timeout_seconds", (int) (AppConfig.DEFAULT_JOB_TIMEOUT_MS / 1000)) * 1000L,
        whole(actions, "settle_ms", (int) AppConfig.DEFAULT_SETTLE_MS),
        new AppConfig.Auth(path("auth", auth, "users_file", ConfigValidator.DEFAULT_USERS_FILE),
            path("auth", auth, "secret_file", ConfigValidator.DEFAULT_SECRET_FILE),
            "viewer".equals(auth.getValue("anonymous"))),
        tls(http), Boolean.TRUE.equals(section(yaml, "metrics").getValue("public")),
        NotificationRules.targets(yaml.getValue("notifications"), problems), bridge(section(yaml, "bridge")),
        instances, limits(http),
        new AppConfig.ConfigHistory(path("config_history", section(yaml, "config_history"), "dir",
            ConfigValidator.DEFAULT_CONFIG_HISTORY_DIR), null),
        new AppConfig.Insight(path("insight", insight, "database", ConfigValidator.DEFAULT_INSIGHT_DATABASE),
            whole(insight, "retention_days", ConfigValidator.DEFAULT_RETENTION_DAYS)),
        ClusterRules.read(yaml, baseDir, problems, ClusterRules::localHostName));
  }

  /** {@code http.*_seconds}: a /ws peer must be pinged before the idle timeout would close it. */
  private AppConfig.HttpLimits limits(JsonObject http) {
    AppConfig.HttpLimits d = AppConfig.HttpLimits.DEFAULTS;
    int idle = whole(http, "idle_timeout_seconds", d.idleTimeoutSeconds());
    int ping = whole(http, "ws_ping_interval_seconds", d.wsPingIntervalSeconds());
    if (ping >= idle && verdict.accepts("http.idle_timeout_seconds") && verdict.accepts("http.ws_ping_interval_seconds")) {
      problems.add("http.ws_ping_interval_seconds", "must be less than http.idle_timeout_seconds (" + idle
          + "), or quiet /ws clients are cut off as idle (got " + ping + ")");
    }
    return new AppConfig.HttpLimits(whole(http, "request_head_timeout_seconds", d.headTimeoutSeconds()),
        whole(http, "request_body_timeout_seconds", d.bodyTimeoutSeconds()), idle, ping);
  }

  /** {@code bridge}: the TCP event-bus bridge listens only when {@code tcp_port} is given. */
  private AppConfig.Bridge bridge(JsonObject bridge) {
    if (bridge.getValue("tcp_port") == null) {
      if (bridge.getValue("tcp_host") != null) {
        problems.add("bridge.tcp_host", "needs bridge.tcp_port (without a port there is no TCP bridge)");
      }
      return AppConfig.Bridge.OFF;
    }
    return new AppConfig.Bridge(whole(bridge, "tcp_port", 0), text(bridge, "tcp_host", AppConfig.Bridge.OFF.tcpHost()));
  }

  /** {@code http.tls}: absent for plain HTTP, else both PEM files. */
  private AppConfig.Tls tls(JsonObject http) {
    JsonObject tls = http.getValue("tls") instanceof JsonObject o ? o : null;
    return tls == null || !tls.containsKey("cert") || !tls.containsKey("key") ? null
        : new AppConfig.Tls(path("http.tls", tls, "cert", ""), path("http.tls", tls, "key", ""));
  }

  private static JsonObject section(JsonObject yaml, String key) {
    return yaml.getValue(key) instanceof JsonObject section ? section : new JsonObject();
  }

  private static String text(JsonObject section, String key, String fallback) {
    return section.getValue(key) instanceof String s ? s : fallback;
  }

  private static int whole(JsonObject section, String key, int fallback) {
    return section.getValue(key) instanceof Number n ? n.intValue() : fallback;
  }

  /** A path relative to config.yaml's folder; {@code sectionPath} names where {@code key} is, for errors. */
  private Path path(String sectionPath, JsonObject section, String key, String fallback) {
    String value = text(section, key, fallback);
    String errorPath = SchemaVerdict.child(sectionPath, key);
    try {
      return baseDir.resolve(value).normalize();
    } catch (InvalidPathException e) {
      problems.add(errorPath, "not a usable path (" + e.getReason() + ", got " + show(value) + ")");
      return null;
    }
  }
}
