package io.servicemanager.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of config.yaml and services.yaml (DESIGN §2), pure: every error is collected, each
 * naming its path, so one run of {@code validate} shows everything to fix.
 */
public final class ConfigValidator {
  private static final Set<String> APP_KEYS =
      Set.of("version", "http", "systemd", "actions", "auth", "services_file", "history_file", "metrics",
          "notifications", "bridge", "config_history", "insight");
  private static final Set<String> CONFIG_HISTORY_KEYS = Set.of("dir");
  private static final Set<String> BRIDGE_KEYS = Set.of("tcp_port", "tcp_host");
  private static final Set<String> METRICS_KEYS = Set.of("public");
  private static final Set<String> AUTH_KEYS = Set.of("users_file", "secret_file", "anonymous");
  private static final Set<String> TLS_KEYS = Set.of("cert", "key");
  private static final Set<String> ACTIONS_KEYS = Set.of("timeout_seconds", "settle_ms");
  private static final Set<String> HTTP_KEYS = Set.of("host", "port", "tls", "instances",
      "request_head_timeout_seconds", "request_body_timeout_seconds", "idle_timeout_seconds", "ws_ping_interval_seconds");
  private static final Set<String> SYSTEMD_KEYS = Set.of("bus");
  private static final Set<String> SERVICES_KEYS = Set.of("version", "services");
  private static final List<String> SERVICE_FIELDS =
      List.of("display_name", "description", "permissions_required", "status_check_allowed");
  /** DESIGN §3: optional, so files written before them stay valid. */
  private static final List<String> OPTIONAL_SERVICE_FIELDS = List.of("logs_allowed", "confirm_restart");
  private static final Set<String> INSIGHT_KEYS = Set.of("database", "retention_days");

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** More HTTP verticles than this buys nothing on any machine we run on, and each costs a router and a hub. */
  public static final int MAX_HTTP_INSTANCES = 64;
  public static final String DEFAULT_BUS = "system";
  public static final String DEFAULT_SERVICES_FILE = "services.yaml";
  public static final String DEFAULT_HISTORY_FILE = "../data/history.jsonl";
  public static final String DEFAULT_USERS_FILE = "users.yaml";
  /** Beside the history, not in conf/: it must be writable on first run and never end up in a repository. */
  public static final String DEFAULT_SECRET_FILE = "../data/secret.key";
  /** In the state directory, beside the history it imports. */
  public static final String DEFAULT_INSIGHT_DATABASE = "../data/servicemanager.db";
  public static final int DEFAULT_RETENTION_DAYS = 90;
  /** Beside the history: the state directory, writable and private. */
  public static final String DEFAULT_CONFIG_HISTORY_DIR = "../data/config-history";

  private ConfigValidator() {}

  /** config.yaml; relative paths resolve against {@code baseDir}, the file's folder. */
  public static Validated<AppConfig> validateApp(JsonObject yaml, Path baseDir) {
    List<String> errors = new ArrayList<>();
    unknownKeys(yaml, APP_KEYS, "", errors);
    version(yaml, errors);
    JsonObject http = section(yaml, "http", HTTP_KEYS, errors);
    JsonObject systemd = section(yaml, "systemd", SYSTEMD_KEYS, errors);
    String host = string(http, "host", "http.host", DEFAULT_HOST, errors);
    int port = DEFAULT_PORT;
    Object rawPort = http.getValue("port");
    if (rawPort != null) {
      if (rawPort instanceof Integer p && p >= 0 && p <= 65_535) {
        port = p;
      } else {
        errors.add("http.port: must be a whole number from 0 to 65535 (got " + show(rawPort) + ")");
      }
    }
    // Absent: one per core, decided at deploy time (the machine running it, not the one validating).
    Integer instances = http.containsKey("instances")
        ? (int) whole(http, "instances", "http.instances", 1, 1, MAX_HTTP_INSTANCES, errors) : null;
    AppConfig.HttpLimits limits = limits(http, errors);
    String bus = string(systemd, "bus", "systemd.bus", DEFAULT_BUS, errors);
    if (bus != null && !bus.equals("system") && !bus.equals("user") && !bus.startsWith("unix:")) {
      errors.add("systemd.bus: must be system, user or a D-Bus address starting with unix: (got " + show(bus) + ")");
    }
    JsonObject actions = section(yaml, "actions", ACTIONS_KEYS, errors);
    long timeoutSeconds = whole(actions, "timeout_seconds", "actions.timeout_seconds",
        AppConfig.DEFAULT_JOB_TIMEOUT_MS / 1000, 1, 3600, errors);
    long settleMs = whole(actions, "settle_ms", "actions.settle_ms", AppConfig.DEFAULT_SETTLE_MS, 0, 10_000, errors);
    Path services = path(yaml, "services_file", DEFAULT_SERVICES_FILE, baseDir, errors);
    Path history = path(yaml, "history_file", DEFAULT_HISTORY_FILE, baseDir, errors);
    JsonObject metrics = section(yaml, "metrics", METRICS_KEYS, errors);
    Object metricsPublic = metrics.getValue("public", false);
    if (!(metricsPublic instanceof Boolean)) {
      errors.add("metrics.public: must be true or false (got " + show(metricsPublic) + ")");
    }
    List<NotificationTarget> notifications = NotificationRules.targets(yaml.getValue("notifications"), errors);
    JsonObject auth = section(yaml, "auth", AUTH_KEYS, errors);
    Path users = path(auth, "users_file", "auth.users_file", DEFAULT_USERS_FILE, baseDir, errors);
    Path secret = path(auth, "secret_file", "auth.secret_file", DEFAULT_SECRET_FILE, baseDir, errors);
    String anonymous = string(auth, "anonymous", "auth.anonymous", "none", errors);
    if (!anonymous.equals("none") && !anonymous.equals("viewer")) {
      errors.add("auth.anonymous: must be one of none, viewer (got " + show(anonymous) + ")");
    }
    AppConfig.Tls tls = tls(http, baseDir, errors);
    AppConfig.Bridge bridge = bridge(section(yaml, "bridge", BRIDGE_KEYS, errors), errors);
    Path configHistory = path(section(yaml, "config_history", CONFIG_HISTORY_KEYS, errors), "dir",
        "config_history.dir", DEFAULT_CONFIG_HISTORY_DIR, baseDir, errors);
    JsonObject insight = section(yaml, "insight", INSIGHT_KEYS, errors);
    Path database = path(insight, "database", "insight.database", DEFAULT_INSIGHT_DATABASE, baseDir, errors);
    int retentionDays = (int) whole(insight, "retention_days", "insight.retention_days", DEFAULT_RETENTION_DAYS, 1,
        36_500, errors);
    return errors.isEmpty()
        ? Validated.ok(new AppConfig(host, port, bus, services, history, timeoutSeconds * 1000, settleMs,
            new AppConfig.Auth(users, secret, anonymous.equals("viewer")), tls, (Boolean) metricsPublic,
            notifications, bridge, instances, limits,
            new AppConfig.ConfigHistory(configHistory, null), new AppConfig.Insight(database, retentionDays)))
        : Validated.failed(errors);
  }

  /**
   * What config.yaml says about services, checked once the services file is read: every service a
   * notification names must be there and visible.
   */
  public static List<String> crossCheck(AppConfig app, ServiceCatalogue services) {
    return NotificationRules.checkServices(app.notifications(), services);
  }

  /** {@code http.*_seconds}: each 1 to 3600; a /ws peer must be pinged before the idle timeout would close it. */
  private static AppConfig.HttpLimits limits(JsonObject http, List<String> errors) {
    AppConfig.HttpLimits d = AppConfig.HttpLimits.DEFAULTS;
    int head = (int) whole(http, "request_head_timeout_seconds", "http.request_head_timeout_seconds",
        d.headTimeoutSeconds(), 1, 3600, errors);
    int body = (int) whole(http, "request_body_timeout_seconds", "http.request_body_timeout_seconds",
        d.bodyTimeoutSeconds(), 1, 3600, errors);
    int idle = (int) whole(http, "idle_timeout_seconds", "http.idle_timeout_seconds", d.idleTimeoutSeconds(), 1, 3600,
        errors);
    int ping = (int) whole(http, "ws_ping_interval_seconds", "http.ws_ping_interval_seconds",
        d.wsPingIntervalSeconds(), 1, 3600, errors);
    if (ping >= idle) {
      errors.add("http.ws_ping_interval_seconds: must be less than http.idle_timeout_seconds (" + idle
          + "), or quiet /ws clients are cut off as idle (got " + ping + ")");
    }
    return new AppConfig.HttpLimits(head, body, idle, ping);
  }

  /** {@code bridge}: the TCP event-bus bridge listens only when {@code tcp_port} is given. */
  private static AppConfig.Bridge bridge(JsonObject bridge, List<String> errors) {
    String host = string(bridge, "tcp_host", "bridge.tcp_host", AppConfig.Bridge.OFF.tcpHost(), errors);
    if (!bridge.containsKey("tcp_port")) {
      if (bridge.containsKey("tcp_host")) {
        errors.add("bridge.tcp_host: needs bridge.tcp_port (without a port there is no TCP bridge)");
      }
      return AppConfig.Bridge.OFF;
    }
    long port = whole(bridge, "tcp_port", "bridge.tcp_port", -1, 0, 65_535, errors);
    return port < 0 ? AppConfig.Bridge.OFF : new AppConfig.Bridge((int) port, host);
  }

  /** {@code http.tls}: absent for plain HTTP, else both PEM files. */
  private static AppConfig.Tls tls(JsonObject http, Path baseDir, List<String> errors) {
    Object raw = http.getValue("tls");
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonObject tls)) {
      errors.add("http.tls: must be a mapping with cert and key (got " + show(raw) + ")");
      return null;
    }
    unknownKeys(tls, TLS_KEYS, "http.tls.", errors);
    for (String key : List.of("cert", "key")) {
      if (!tls.containsKey(key)) {
        errors.add("http.tls: missing field " + key + " (a PEM file)");
      }
    }
    Path cert = path(tls, "cert", "http.tls.cert", "", baseDir, errors);
    Path key = path(tls, "key", "http.tls.key", "", baseDir, errors);
    return tls.containsKey("cert") && tls.containsKey("key") ? new AppConfig.Tls(cert, key) : null;
  }

  private static long whole(JsonObject section, String key, String path, long fallback, long min, long max,
      List<String> errors) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer n && n >= min && n <= max) {
      return n;
    }
    errors.add(path + ": must be a whole number from " + min + " to " + max + " (got " + show(value) + ")");
    return fallback;
  }

  private static Path path(JsonObject yaml, String key, String fallback, Path baseDir, List<String> errors) {
    return path(yaml, key, key, fallback, baseDir, errors);
  }

  private static Path path(JsonObject yaml, String key, String errorPath, String fallback, Path baseDir,
      List<String> errors) {
    String value = string(yaml, key, errorPath, fallback, errors);
    try {
      return baseDir.resolve(value).normalize();
    } catch (InvalidPathException e) {
      errors.add(errorPath + ": not a usable path (" + e.getReason() + ", got " + show(value) + ")");
      return null;
    }
  }

  /** services.yaml. */
  public static Validated<ServiceCatalogue> validateServices(JsonObject yaml) {
    List<String> errors = new ArrayList<>();
    unknownKeys(yaml, SERVICES_KEYS, "", errors);
    version(yaml, errors);
    Object rawServices = yaml.getValue("services");
    List<ServiceDefinition> services = new ArrayList<>();
    if (rawServices == null) {
      errors.add(yaml.containsKey("services") ? "services: must contain at least one service" : "missing field services");
    } else if (!(rawServices instanceof JsonObject map)) {
      errors.add("services: must be a mapping of unit name to settings (got " + show(rawServices) + ")");
    } else if (map.isEmpty()) {
      errors.add("services: must contain at least one service");
    } else {
      for (Map.Entry<String, Object> entry : map) {
        ServiceDefinition def = service(entry.getKey(), entry.getValue(), errors);
        if (def != null) {
          services.add(def);
        }
      }
    }
    return errors.isEmpty() ? Validated.ok(new ServiceCatalogue(services)) : Validated.failed(errors);
  }

  private static ServiceDefinition service(String key, Object raw, List<String> errors) {
    String path = "services." + pathSegment(key);
    int before = errors.size();
    UnitNames.problem(key).ifPresent(p -> errors.add(path + ": not a valid systemd unit name (" + p + ")"));
    if (!(raw instanceof JsonObject fields)) {
      errors.add(path + ": must be a mapping with " + String.join(", ", SERVICE_FIELDS) + " (got " + show(raw) + ")");
      return null;
    }
    Set<String> known = new java.util.HashSet<>(SERVICE_FIELDS);
    known.addAll(OPTIONAL_SERVICE_FIELDS);
    unknownKeys(fields, known, path + ".", errors);
    for (String field : SERVICE_FIELDS) {
      if (!fields.containsKey(field)) {
        errors.add(path + ": missing field " + field);
      }
    }
    String displayName = text(fields, "display_name", path, errors);
    String description = text(fields, "description", path, errors);
    Permission permission = null;
    Object rawPermission = fields.getValue("permissions_required");
    if (fields.containsKey("permissions_required")) {
      permission = rawPermission instanceof String s ? Permission.parse(s).orElse(null) : null;
      if (permission == null) {
        errors.add(path + ".permissions_required: must be one of restart, start, stop, all (got " + show(rawPermission) + ")");
      }
    }
    boolean visible = flag(fields, "status_check_allowed", path, errors);
    boolean logs = flag(fields, "logs_allowed", path, errors);
    boolean confirm = flag(fields, "confirm_restart", path, errors);
    if (errors.size() > before) {
      return null;
    }
    return new ServiceDefinition(key, UnitNames.toUnit(key), displayName, description, permission, visible, logs,
        confirm);
  }

  /** A true/false field; absent is false. */
  private static boolean flag(JsonObject fields, String field, String path, List<String> errors) {
    Object value = fields.getValue(field);
    if (fields.containsKey(field) && !(value instanceof Boolean)) {
      errors.add(path + "." + field + ": must be true or false (got " + show(value) + ")");
      return false;
    }
    return Boolean.TRUE.equals(value);
  }

  private static String text(JsonObject fields, String field, String path, List<String> errors) {
    if (!fields.containsKey(field)) {
      return null;
    }
    Object value = fields.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      errors.add(path + "." + field + ": must be a non-empty string (got " + show(value) + ")");
      return null;
    }
    return s;
  }

  private static void version(JsonObject yaml, List<String> errors) {
    Object version = yaml.getValue("version");
    if (yaml.containsKey("version") && !Integer.valueOf(1).equals(version)) {
      errors.add("version: only version 1 is known (got " + show(version) + ")");
    }
  }

  private static JsonObject section(JsonObject yaml, String key, Set<String> allowed, List<String> errors) {
    Object value = yaml.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject section)) {
      errors.add(key + ": must be a mapping (got " + show(value) + ")");
      return new JsonObject();
    }
    unknownKeys(section, allowed, key + ".", errors);
    return section;
  }

  private static String string(JsonObject yaml, String key, String path, String fallback, List<String> errors) {
    Object value = yaml.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      errors.add(path + ": must be a non-empty string (got " + show(value) + ")");
      return fallback;
    }
    return s;
  }

  private static void unknownKeys(JsonObject yaml, Set<String> allowed, String prefix, List<String> errors) {
    for (String key : yaml.fieldNames()) {
      if (!allowed.contains(key)) {
        errors.add(prefix + key + ": unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  /** A key as one step of an error's path: as written when plain, quoted when it could mislead. */
  public static String pathSegment(String key) {
    return key.matches("[A-Za-z0-9:_.@\\\\-]+") ? key : show(key);
  }

  /**
   * A value as the user wrote it: quoted when a string, with control characters escaped so that an
   * error message stays on one line and shows what is really there, cut when long.
   */
  public static String show(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (!(value instanceof String s)) {
      return cut(value.toString());
    }
    return cut(io.servicemanager.ErrorCode.onOneLine(s));
  }

  private static String cut(String text) {
    return text.length() > 80 ? text.substring(0, 77) + "…" : text;
  }
}
