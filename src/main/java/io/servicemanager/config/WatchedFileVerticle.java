package io.servicemanager.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one configuration file and publishes, on the subclass's address, the outcome of loading
 * it anew after each change: what the subclass's {@link #load} makes of a file that validates, or
 * {@code {"errors": ["file.yaml: …", …]}} (also logged) for one that does not — consumers then keep
 * their last good version. Only a different outcome is published: saving the same content or
 * editing a comment sends nothing, and the same errors are sent once. The outcome when the verticle
 * starts is the baseline — what is in force was loaded at start-up — so it is published only if it
 * is a list of errors.
 *
 * <p>The {@link ConfigRetriever} watches the file's raw text, not its parsed YAML: with the yaml
 * format a failing scan (a syntax error, a deleted file) logs a stack trace every period, and the
 * retriever goes on comparing with the last content that parsed, so undoing a broken edit would
 * never be noticed. Each change of the text is loaded and validated exactly as at start-up.
 *
 * <p>Each text that validates, the baseline included, is also published on
 * {@code servicemanager.config.accepted} for the configuration history, if it did not change while
 * being checked: the history holds exactly what was accepted.
 *
 * <p>Config: the file's absolute path under the subclass's key, {@code scan_period_ms} (default 1000).
 */
public abstract class WatchedFileVerticle extends VerticleBase {
  /** Named after the subclass, so the log says which file's watcher speaks. */
  private final Logger log = LoggerFactory.getLogger(getClass());

  private final String fileKey;
  private final String address;
  private final String historyName;
  private Path file;
  private ConfigRetriever retriever;
  private String lastOutcome;
  private Future<Void> checks = Future.succeededFuture();

  /**
   * @param fileKey the config key that holds the file's path
   * @param address where outcomes are published
   * @param historyName the file's name in the configuration history
   */
  protected WatchedFileVerticle(String fileKey, String address, String historyName) {
    this.fileKey = fileKey;
    this.address = address;
    this.historyName = historyName;
  }

  /** The file as loaded and validated at start-up; fails with a {@link ConfigException} listing errors. */
  protected abstract Future<JsonObject> load(Path file);

  /** What the log says after a reload that validated, after "FILE: reloaded". */
  protected String describe(JsonObject outcome) {
    return "";
  }

  /** Anything the subclass must set up before the first check. */
  protected void starting() {}

  @Override
  public final Future<?> start() {
    file = Path.of(config().getString(fileKey)).toAbsolutePath().normalize();
    starting();
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(config().getLong("scan_period_ms", 1000L))
        // Optional: an absent file reads as {} quietly; the load after it reports "file not found".
        .addStore(new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
            .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", "text"))));
    retriever.listen(change -> enqueueCheck());
    // getConfig gives the retriever its baseline, so its first scan does not count the file as a change.
    return retriever.getConfig().compose(text -> enqueueCheck());
  }

  @Override
  public final Future<?> stop() {
    return retriever.close();
  }

  /** Checks the file again although its text did not change, e.g. when what it refers to changed. */
  protected final void recheck() {
    enqueueCheck();
  }

  /** Whether the outcome in force is a list of errors. */
  protected final boolean rejected() {
    return lastOutcome != null && lastOutcome.startsWith("{\"errors\"");
  }

  /** One check at a time, in order, so a slow older read never overwrites a newer outcome. */
  private Future<Void> enqueueCheck() {
    checks = checks.transform(previous -> check());
    return checks;
  }

  private Future<Void> check() {
    Future<String> before = text();
    return before.transform(read -> load(file))
        .otherwise(this::errors)
        .compose(outcome -> {
          if (outcome.containsKey("errors") || before.failed()) {
            publishIfChanged(outcome);
            return Future.succeededFuture();
          }
          // Accepted, then applied: a version that another watcher records because of this one (the
          // users file rechecked under a new catalogue) is then recorded after it, never before.
          return text().transform(after -> {
            if (after.succeeded() && Objects.equals(before.result(), after.result())) {
              vertx.eventBus().publish(Addresses.CONFIG_ACCEPTED,
                  new JsonObject().put("file", historyName).put("text", after.result()));
            }
            publishIfChanged(outcome);
            return Future.<Void>succeededFuture();
          });
        });
  }

  /** The file's text; null when it does not exist. */
  private Future<String> text() {
    return vertx.fileSystem().readFile(file.toString()).map(Buffer::toString).recover(e ->
        e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException
            ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private JsonObject errors(Throwable failure) {
    List<String> errors = failure instanceof ConfigException e ? e.errors() : List.of(String.valueOf(failure));
    return new JsonObject().put("errors",
        new JsonArray(errors.stream().map(error -> file.getFileName() + ": " + error).toList()));
  }

  private void publishIfChanged(JsonObject outcome) {
    // Compared as text: the order of entries is part of the outcome, JsonObject.equals ignores it.
    String encoded = outcome.encode();
    boolean baseline = lastOutcome == null;
    if (encoded.equals(lastOutcome)) {
      return;
    }
    lastOutcome = encoded;
    if (outcome.containsKey("errors")) {
      log.warn("{}: not applied, the last good version stays in force:\n{}", file,
          outcome.getJsonArray("errors").stream().map(String::valueOf).collect(Collectors.joining("\n")));
      vertx.eventBus().publish(address, outcome);
    } else if (!baseline) {
      log.info("{}: reloaded{}", file, describe(outcome));
      vertx.eventBus().publish(address, outcome);
    }
  }
}
