package io.servicemanager.config;

import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the services file and publishes on {@code servicemanager.config}: {@code {"services": …}}
 * (the services.yaml shape, see {@link ServiceCatalogue#toJson}) after a valid change, or
 * {@code {"errors": [...]}} after an invalid one — the consumers then keep the last good catalogue.
 * Publishes nothing while the content is unchanged.
 *
 * <p>Config: {@code services_file} (absolute path), {@code scan_period_ms} (default 1000).
 */
public final class ConfigWatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcherVerticle.class);

  private Path file;
  private String lastContent;
  private boolean checking;

  @Override
  public Future<?> start() {
    file = Path.of(config().getString("services_file"));
    long period = config().getLong("scan_period_ms", 1000L);
    return vertx.fileSystem().readFile(file.toString())
        .map(bytes -> lastContent = bytes.toString())
        .otherwiseEmpty()
        .onComplete(v -> vertx.setPeriodic(period, id -> check()));
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    vertx.fileSystem().readFile(file.toString())
        .map(bytes -> bytes.toString())
        .otherwise(e -> "")
        .compose(content -> {
          if (content.equals(lastContent)) {
            return Future.succeededFuture();
          }
          lastContent = content;
          return ConfigLoader.loadServices(vertx, file)
              .onSuccess(next -> {
                LOG.info("{}: reloaded, {} services", file, next.size());
                vertx.eventBus().publish(Addresses.CONFIG, next.toJson());
              })
              .onFailure(e -> {
                JsonArray errors = e instanceof ConfigException ce
                    ? new JsonArray(ce.errors().stream().map(err -> file.getFileName() + ": " + err).toList())
                    : new JsonArray().add(file.getFileName() + ": " + e.getMessage());
                LOG.warn("{}: not reloaded, the last good configuration stays in force:\n{}", file, e.getMessage());
                vertx.eventBus().publish(Addresses.CONFIG, new JsonObject().put("errors", errors));
              })
              .<Void>mapEmpty()
              .recover(e -> Future.succeededFuture());
        })
        .onComplete(v -> checking = false);
  }
}
