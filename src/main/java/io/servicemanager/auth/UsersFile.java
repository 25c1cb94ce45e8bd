package io.servicemanager.auth;

import io.servicemanager.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;

/** Reads and validates users.yaml; absent or empty is valid and means nobody can log in yet. */
public final class UsersFile {
  private UsersFile() {}

  /** The directory, or a ConfigException with every error; the file is validated once. */
  public static Future<UserDirectory> load(Vertx vertx, Path file, Set<String> services) {
    return ConfigLoader.loadOptional(vertx, file, yaml -> UsersValidator.validate(yaml, services));
  }

  /** The validated file as JSON, the form published on {@code servicemanager.users}. */
  static Future<JsonObject> loadJson(Vertx vertx, Path file, Set<String> services) {
    return ConfigLoader.loadOptional(vertx, file, yaml -> {
      var valid = UsersValidator.validate(yaml, services);
      return valid.isValid() ? io.servicemanager.config.Validated.ok(yaml) : io.servicemanager.config.Validated.failed(valid.errors());
    });
  }
}
