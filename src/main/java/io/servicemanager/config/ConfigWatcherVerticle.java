package io.servicemanager.config;

import io.servicemanager.Addresses;
import io.servicemanager.confighistory.ConfigFiles;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Watches the services file and publishes on {@code servicemanager.config} (see
 * {@link WatchedFileVerticle} for when):
 * <ul>
 *   <li>{@code {"services": {name: {display_name, …}}}} — the services.yaml shape, see
 *       {@link ServiceCatalogue#toJson()} — after a change that validates;
 *   <li>{@code {"errors": ["services.yaml: services.pzserver: missing field description", …]}} after
 *       one that does not; consumers keep their last good catalogue.
 * </ul>
 *
 * <p>Config: {@code services_file} (absolute path), {@code scan_period_ms} (default 1000).
 */
public final class ConfigWatcherVerticle extends WatchedFileVerticle {
  public ConfigWatcherVerticle() {
    super("services_file", Addresses.CONFIG, ConfigFiles.SERVICES);
  }

  @Override
  protected Future<JsonObject> load(Path file) {
    return ConfigLoader.loadServices(vertx, file).map(ServiceCatalogue::toJson);
  }

  @Override
  protected String describe(JsonObject outcome) {
    return ", " + outcome.getJsonObject("services").size() + " services";
  }
}
