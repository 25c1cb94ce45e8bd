package io.servicemanager.confighistory;

import io.servicemanager.Addresses;
import io.servicemanager.auth.UsersFile;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.status.ServiceView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every accepted configuration as a version of the {@link ConfigRepository} (DESIGN §5).
 *
 * <p>At start it records the files as loaded, once they validate again as a set and did not change
 * while being checked. Then it consumes {@code servicemanager.config.accepted}
 * ({@code {"file": "services.yaml", "text": …|null}}), which the file watchers publish for each
 * text they accepted, and records it; each new version is published on
 * {@code servicemanager.config.version} ({@code {"rev", "at", "message"}}). It answers
 * {@code servicemanager.config.history} with the versions, newest first. Writes run on a worker, one at a time, in arrival order. A
 * failed write is logged; the configuration in force is not affected.
 *
 * <p>Config: {@code dir}, {@code services_file}, {@code users_file}, optionally {@code config_file}
 * (absent for a configuration built in code), all absolute paths.
 */
public final class ConfigHistoryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigHistoryVerticle.class);

  private ConfigRepository repository;
  private MessageConsumer<JsonObject> accepted;

  @Override
  public Future<?> start() {
    Path dir = Path.of(config().getString("dir"));
    String configFile = config().getString("config_file");
    Map<String, Path> paths = ConfigFiles.paths(configFile == null ? null : Path.of(configFile),
        Path.of(config().getString("services_file")), Path.of(config().getString("users_file")));
    return vertx.executeBlocking(() -> ConfigRepository.openOrCreate(dir))
        .compose(opened -> {
          repository = opened;
          return recordAtStart(paths);
        })
        .compose(v -> {
          accepted = vertx.eventBus().consumer(Addresses.CONFIG_ACCEPTED, m -> {
            Map<String, String> changed = new HashMap<>();
            changed.put(m.body().getString("file"), m.body().getString("text"));
            write(changed);
          });
          return accepted.completion();
        })
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_HISTORY, this::log).completion());
  }

  /** The versions, newest first, at most {@code limit}: for the dashboard. */
  private void log(Message<JsonObject> m) {
    int limit = m.body() == null ? 100 : m.body().getInteger("limit", 100);
    vertx.executeBlocking(() -> repository.log(), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("configuration history: cannot be read: {}", ar.cause().getMessage());
        m.fail(500, ar.cause().getMessage());
        return;
      }
      JsonArray versions = new JsonArray();
      ar.result().stream().limit(limit).forEach(v -> versions.add(new JsonObject().put("rev", v.rev())
          .put("at", ServiceView.iso(v.at())).put("message", v.message())));
      m.reply(new JsonObject().put("versions", versions).put("total", ar.result().size()));
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = accepted == null ? Future.succeededFuture() : accepted.unregister();
    return unregistered.compose(v -> vertx.executeBlocking(() -> {
      if (repository != null) {
        repository.close();
      }
      return null;
    }));
  }

  /** Read, validate as start-up does, read again: only a set that held still while checked is a version. */
  private Future<Void> recordAtStart(Map<String, Path> paths) {
    return vertx.executeBlocking(() -> ConfigFiles.read(paths))
        .compose(before -> validate(paths)
            .compose(v -> vertx.executeBlocking(() -> ConfigFiles.read(paths)))
            .compose(after -> after.equals(before) ? write(before) : Future.succeededFuture()))
        .recover(failure -> {
          // The watchers report what is wrong and record what they accept.
          LOG.info("configuration history: the files at start were not recorded: {}", failure.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> validate(Map<String, Path> paths) {
    Future<ServiceCatalogue> services = paths.containsKey(ConfigFiles.CONFIG)
        ? ConfigLoader.load(vertx, paths.get(ConfigFiles.CONFIG)).map(ConfigLoader.LoadedConfig::services)
        : ConfigLoader.loadServices(vertx, paths.get(ConfigFiles.SERVICES));
    return services.compose(catalogue -> {
      Set<String> names = catalogue.all().stream().map(ServiceDefinition::name).collect(Collectors.toSet());
      return UsersFile.load(vertx, paths.get(ConfigFiles.USERS), names);
    }).mapEmpty();
  }

  private Future<Void> write(Map<String, String> changed) {
    // Ordered: versions are recorded in the order the watchers accepted them.
    return vertx.executeBlocking(() -> repository.record(changed), true)
        .map(version -> {
          version.ifPresent(v -> {
            LOG.info("configuration history: {} {}", v.rev(), v.message());
            vertx.eventBus().publish(Addresses.CONFIG_VERSION,
                new JsonObject().put("rev", v.rev()).put("at", v.at().toString()).put("message", v.message()));
          });
          return (Void) null;
        })
        .recover(failure -> {
          LOG.error("configuration history: cannot record {}: {}", changed.keySet(), failure.getMessage());
          return Future.succeededFuture();
        });
  }
}
