package io.servicemanager.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads config.yaml and the services file it names (each parsed once by {@link YamlFile}) and
 * validates both. Every failure is a {@link ConfigException} naming the file
 * and each problem in it; config.yaml is checked first, so its errors come without the services file's.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public record LoadedConfig(AppConfig app, ServiceCatalogue services) {}

  /**
   * config.yaml may be absent or empty (every key has a default; relative paths then resolve against
   * the folder it would be in); the services file it names must exist.
   */
  public static Future<LoadedConfig> load(Vertx vertx, Path configFile) {
    Path config = configFile.toAbsolutePath().normalize();
    Path baseDir = config.getParent();
    return YamlFile.read(vertx, config, true)
        .compose(yaml -> result(config, yaml,
            ConfigValidator.validateApp(withEnvironment(yaml.json(), System.getenv()), baseDir)))
        .map(app -> app.with(b -> b.configHistory = new AppConfig.ConfigHistory(app.configHistory().dir(), config)))
        .compose(app -> loadServices(vertx, app.servicesFile()).compose(services -> {
          List<String> errors = ConfigValidator.crossCheck(app, services);
          return errors.isEmpty()
              ? Future.succeededFuture(new LoadedConfig(app, services))
              : Future.failedFuture(new ConfigException(config, errors));
        }));
  }

  /**
   * Environment overrides for what differs per deployment (a container listens on 0.0.0.0):
   * {@code SERVICE_MANAGER_HTTP_HOST}, {@code SERVICE_MANAGER_HTTP_PORT}, {@code SERVICE_MANAGER_SYSTEMD_BUS}.
   */
  static JsonObject withEnvironment(JsonObject yaml, Map<String, String> env) {
    JsonObject json = yaml.copy();
    override(json, "http", "host", env.get("SERVICE_MANAGER_HTTP_HOST"));
    String port = env.get("SERVICE_MANAGER_HTTP_PORT");
    if (port != null) {
      // A non-number stays a string, so validation reports it like a bad value in the file.
      override(json, "http", "port", port.matches("\\d{1,9}") ? Integer.valueOf(port) : port);
    }
    override(json, "systemd", "bus", env.get("SERVICE_MANAGER_SYSTEMD_BUS"));
    return json;
  }

  private static void override(JsonObject json, String section, String key, Object value) {
    if (value == null) {
      return;
    }
    Object existing = json.getValue(section);
    if (existing != null && !(existing instanceof JsonObject)) {
      return; // leave the file's bad section for validation to report
    }
    json.put(section, (existing == null ? new JsonObject() : (JsonObject) existing).put(key, value));
  }

  /** The services file; it must exist and hold at least one service. */
  public static Future<ServiceCatalogue> loadServices(Vertx vertx, Path servicesFile) {
    Path file = servicesFile.toAbsolutePath().normalize();
    return YamlFile.read(vertx, file, false)
        .compose(yaml -> result(file, yaml, ConfigValidator.validateServices(yaml.json())));
  }

  /**
   * A file where absent or empty means "nothing configured" (the users file), validated by
   * {@code validator}; a {@link ConfigException} names the file and every problem, as for the others.
   */
  public static <T> Future<T> loadOptional(Vertx vertx, Path file, java.util.function.Function<JsonObject, Validated<T>> validator) {
    Path absolute = file.toAbsolutePath().normalize();
    return YamlFile.read(vertx, absolute, true).compose(yaml -> result(absolute, yaml, validator.apply(yaml.json())));
  }

  /** The value, or one exception with the duplicate keys and every validation error together. */
  private static <T> Future<T> result(Path file, YamlFile yaml, Validated<T> valid) {
    List<String> errors = new ArrayList<>(yaml.duplicateKeys());
    errors.addAll(valid.errors());
    return errors.isEmpty() ? Future.succeededFuture(valid.value())
        : Future.failedFuture(new ConfigException(file, errors, yaml.positions()));
  }
}
