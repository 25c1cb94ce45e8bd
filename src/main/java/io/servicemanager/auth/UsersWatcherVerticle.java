package io.servicemanager.auth;

import io.servicemanager.Addresses;
import io.servicemanager.config.ConfigException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the users file as {@link io.servicemanager.config.ConfigWatcherVerticle} watches the
 * services file (the raw text, through a ConfigRetriever), and publishes on
 * {@code servicemanager.users}:
 * <ul>
 *   <li>the validated file ({@code {"users": …, "tokens": …}}) after a change that validates;
 *   <li>{@code {"errors": ["users.yaml: users.alice.role: …", …]}} after one that does not (also
 *       logged); the last good users stay in force.
 * </ul>
 * Only a different outcome is published; the outcome at start is the baseline. Services named in a
 * user's list are checked against the catalogue in force, which it follows on
 * {@code servicemanager.config}.
 *
 * <p>Config: {@code users_file} (absolute path), {@code services} (the configured names),
 * {@code scan_period_ms} (default 1000).
 */
public final class UsersWatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(UsersWatcherVerticle.class);

  private Path file;
  private Set<String> services;
  private ConfigRetriever retriever;
  private String lastOutcome;
  private Future<Void> checks = Future.succeededFuture();

  @Override
  public Future<?> start() {
    file = Path.of(config().getString("users_file")).toAbsolutePath().normalize();
    services = new HashSet<>(config().getJsonArray("services", new JsonArray()).stream().map(String::valueOf).toList());
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        services = new HashSet<>(m.body().getJsonObject("services").fieldNames());
      }
    });
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(config().getLong("scan_period_ms", 1000L))
        .addStore(new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
            .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", "text"))));
    retriever.listen(change -> enqueueCheck());
    return retriever.getConfig().compose(text -> enqueueCheck());
  }

  @Override
  public Future<?> stop() {
    return retriever.close();
  }

  private Future<Void> enqueueCheck() {
    checks = checks.transform(previous -> check());
    return checks;
  }

  private Future<Void> check() {
    return UsersFile.loadJson(vertx, file, Set.copyOf(services))
        .otherwise(this::errors)
        .map(outcome -> {
          publishIfChanged(outcome);
          return null;
        });
  }

  private JsonObject errors(Throwable failure) {
    List<String> errors = failure instanceof ConfigException e ? e.errors() : List.of(String.valueOf(failure));
    return new JsonObject().put("errors",
        new JsonArray(errors.stream().map(error -> file.getFileName() + ": " + error).toList()));
  }

  private void publishIfChanged(JsonObject outcome) {
    String encoded = outcome.encode();
    boolean baseline = lastOutcome == null;
    if (encoded.equals(lastOutcome)) {
      return;
    }
    lastOutcome = encoded;
    if (outcome.containsKey("errors")) {
      LOG.warn("{}: not applied, the last good users stay in force:\n{}", file,
          outcome.getJsonArray("errors").stream().map(String::valueOf).collect(Collectors.joining("\n")));
      vertx.eventBus().publish(Addresses.USERS, outcome);
    } else if (!baseline) {
      LOG.info("{}: reloaded", file);
      vertx.eventBus().publish(Addresses.USERS, outcome);
    }
  }
}
