package io.servicemanager.config;

import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads config.yaml and the services file it names, through vertx-config-yaml, and validates both.
 * Every failure is a {@link ConfigException} naming the file and each problem in it.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public record LoadedConfig(AppConfig app, ServiceCatalogue services) {}

  /** config.yaml may be absent (every key has a default); the services file must exist. */
  public static Future<LoadedConfig> load(Vertx vertx, Path configFile) {
    Path config = configFile.toAbsolutePath().normalize();
    Path baseDir = config.getParent();
    Future<JsonObject> yaml = vertx.fileSystem().exists(config.toString())
        .compose(exists -> exists ? parse(vertx, config, true) : Future.succeededFuture(new JsonObject()));
    return yaml.compose(json -> {
      Validated<AppConfig> app = ConfigValidator.validateApp(withEnvironment(json, System.getenv()), baseDir);
      if (!app.isValid()) {
        return Future.failedFuture(new ConfigException(config, app.errors()));
      }
      return loadServices(vertx, app.value().servicesFile())
          .map(services -> new LoadedConfig(app.value(), services));
    });
  }

  /**
   * Environment overrides for what differs per deployment (a container listens on 0.0.0.0):
   * {@code SERVICE_MANAGER_HTTP_HOST}, {@code SERVICE_MANAGER_HTTP_PORT}, {@code SERVICE_MANAGER_SYSTEMD_BUS}.
   */
  static JsonObject withEnvironment(JsonObject yaml, java.util.Map<String, String> env) {
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
    JsonObject target = existing instanceof JsonObject o ? o : new JsonObject();
    json.put(section, target.put(key, value));
  }

  public static Future<ServiceCatalogue> loadServices(Vertx vertx, Path servicesFile) {
    Path file = servicesFile.toAbsolutePath().normalize();
    return parse(vertx, file, false).compose(json -> {
      Validated<ServiceCatalogue> services = ConfigValidator.validateServices(json);
      return services.isValid()
          ? Future.succeededFuture(services.value())
          : Future.failedFuture(new ConfigException(file, services.errors()));
    });
  }

  /** The file's YAML as a JSON object; an empty file is an error unless {@code emptyIsFine}. */
  static Future<JsonObject> parse(Vertx vertx, Path file, boolean emptyIsFine) {
    return vertx.fileSystem().readFile(file.toString())
        .recover(e -> Future.failedFuture(new ConfigException(file, List.of(readError(file, e)))))
        .compose(bytes -> {
          if (bytes.toString().isBlank()) {
            return emptyIsFine ? Future.succeededFuture(new JsonObject())
                : Future.failedFuture(new ConfigException(file, List.of("file is empty")));
          }
          return new YamlProcessor().process(vertx, new JsonObject(), bytes)
              .recover(e -> Future.failedFuture(new ConfigException(file, List.of(yamlError(e)))))
              .compose(json -> json == null
                  ? (emptyIsFine ? Future.succeededFuture(new JsonObject())
                      : Future.failedFuture(new ConfigException(file, List.of("file is empty (only comments)"))))
                  : Future.succeededFuture(json));
        });
  }

  private static String readError(Path file, Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof NoSuchFileException || !Files.exists(file)) {
      return "file not found";
    }
    return "cannot read: " + cause.getMessage();
  }

  private static String yamlError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        Mark mark = marked.getProblemMark();
        String problem = marked.getProblem() == null ? "invalid YAML" : marked.getProblem();
        return "YAML syntax error at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
            + ": " + problem;
      }
    }
    // The processor parsed the YAML but it was a list or a plain value, not a mapping.
    return "the top level must be a mapping of keys to values";
  }
}
