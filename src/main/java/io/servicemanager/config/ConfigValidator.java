package io.servicemanager.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of config.yaml and services.yaml (DESIGN §2), pure: each file's JSON Schema
 * ({@link ConfigSchema}) and the checks it cannot say, every error collected and naming its path, so
 * one run of {@code validate} shows everything to fix.
 */
public final class ConfigValidator {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
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
    return FileVersion.CONFIG.unlessNewer(yaml, () -> app(yaml, baseDir));
  }

  private static Validated<AppConfig> app(JsonObject yaml, Path baseDir) {
    SchemaVerdict verdict = ConfigSchema.CONFIG.validate(yaml);
    Problems problems = new Problems();
    AppConfig app = new AppRules(yaml, baseDir, verdict, problems).read();
    List<String> errors = verdict.errors(problems);
    return errors.isEmpty() ? Validated.ok(app) : Validated.failed(errors);
  }

  /**
   * What config.yaml says about services, checked once the services file is read: every service a
   * notification names must be there and visible.
   */
  public static List<String> crossCheck(AppConfig app, ServiceCatalogue services) {
    return NotificationRules.checkServices(app.notifications(), services);
  }

  /** services.yaml: its schema, at least one service, and names systemd accepts as units. */
  public static Validated<ServiceCatalogue> validateServices(JsonObject yaml) {
    return FileVersion.SERVICES.unlessNewer(yaml, () -> services(yaml));
  }

  private static Validated<ServiceCatalogue> services(JsonObject yaml) {
    SchemaVerdict verdict = ConfigSchema.SERVICES.validate(yaml);
    Problems problems = new Problems();
    Object raw = yaml.getValue("services");
    if (yaml.containsKey("services") && (raw == null || raw instanceof JsonObject map && map.isEmpty())) {
      problems.add("services", "must contain at least one service");
    }
    List<ServiceDefinition> services = new ArrayList<>();
    if (raw instanceof JsonObject map) {
      for (Map.Entry<String, Object> entry : map) {
        String key = entry.getKey();
        UnitNames.problem(key).ifPresentOrElse(
            p -> problems.add("services." + pathSegment(key), "not a valid systemd unit name (" + p + ")"),
            () -> services.add(service(key, entry.getValue())));
      }
    }
    List<String> errors = verdict.errors(problems);
    return errors.isEmpty() ? Validated.ok(new ServiceCatalogue(services)) : Validated.failed(errors);
  }

  /** One service's settings, as its schema allows them (anything else is never returned). */
  private static ServiceDefinition service(String key, Object raw) {
    JsonObject fields = raw instanceof JsonObject o ? o : new JsonObject();
    Object permission = fields.getValue("permissions_required");
    return new ServiceDefinition(key, UnitNames.toUnit(key), text(fields, "display_name"), text(fields, "description"),
        permission instanceof String s ? Permission.parse(s).orElse(null) : null,
        Boolean.TRUE.equals(fields.getValue("status_check_allowed")), Boolean.TRUE.equals(fields.getValue("logs_allowed")),
        Boolean.TRUE.equals(fields.getValue("confirm_restart")));
  }

  private static String text(JsonObject fields, String key) {
    return fields.getValue(key) instanceof String s ? s : null;
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
