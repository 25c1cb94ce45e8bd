package io.servicemanager.auth;

import io.servicemanager.Addresses;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.config.WatchedFileVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches the users file as the services file is watched ({@link WatchedFileVerticle}), and
 * publishes on {@code servicemanager.users}:
 * <ul>
 *   <li>the validated file ({@code {"users": …, "tokens": …}}) after a change that validates;
 *   <li>{@code {"errors": ["users.yaml: users.alice.role: …", …]}} after one that does not; the
 *       last good users stay in force.
 * </ul>
 * Services named in a user's list are checked against the catalogue in force, which it follows on
 * {@code servicemanager.config}; a file rejected under the old catalogue is checked again under the new one.
 *
 * <p>Config: {@code users_file} (absolute path), {@code services} (the configured names),
 * {@code scan_period_ms} (default 1000).
 */
public final class UsersWatcherVerticle extends WatchedFileVerticle {
  private Set<String> services;

  public UsersWatcherVerticle() {
    super("users_file", Addresses.USERS, ConfigFiles.USERS);
  }

  @Override
  protected void starting() {
    services = new HashSet<>(config().getJsonArray("services", new JsonArray()).stream().map(String::valueOf).toList());
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        services = new HashSet<>(m.body().getJsonObject("services").fieldNames());
        if (rejected()) {
          recheck(); // it may name a service that has just come (a rollback writes both files)
        }
      }
    });
  }

  @Override
  protected Future<JsonObject> load(Path file) {
    return UsersFile.loadJson(vertx, file, Set.copyOf(services));
  }
}
