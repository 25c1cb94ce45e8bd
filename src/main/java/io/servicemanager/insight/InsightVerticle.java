package io.servicemanager.insight;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the application's {@link InsightStore}: at start it opens the database (failing with an
 * {@link InsightDatabaseException} when the file cannot be used), imports the old history file once
 * and applies the retention, then applies it again every day; at stop it closes the store, after the
 * work already asked of it. Reads nothing from systemd.
 *
 * <p>The store is opened here, not by the deployer, so its threads belong to this verticle: Vert.x
 * closes them after {@link #stop}, not before it.
 */
public final class InsightVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InsightVerticle.class);
  static final Duration RETENTION_EVERY = Duration.ofDays(1);

  private final Path database;
  private final Path historyFile;
  private final int retentionDays;
  private volatile InsightStore store;
  private volatile TransitionVerticle transitions;
  private long timer = -1;

  /**
   * @param database {@code insight.database}
   * @param historyFile the {@code history_file} of config.yaml, imported with its rotated files;
   *     a missing file imports nothing
   */
  public InsightVerticle(Path database, Path historyFile, int retentionDays) {
    this.database = database;
    this.historyFile = historyFile;
    this.retentionDays = retentionDays;
  }

  /** The transitions' verticle, its child on the same store, once this verticle has started. */
  public TransitionVerticle transitions() {
    return transitions;
  }

  /** The open store, once this verticle has started. */
  public InsightStore store() {
    return store;
  }

  @Override
  public Future<?> start() {
    return InsightStore.open(vertx, database).compose(opened -> {
      store = opened;
      return HistoryImport.run(opened, historyFile, Instant.now().minus(Duration.ofDays(retentionDays)))
          .onSuccess(this::logImport)
          .compose(r -> retain())
          // A child: Vert.x undeploys it before this verticle's stop closes the store it writes to.
          .compose(v -> {
            transitions = new TransitionVerticle(opened);
            return vertx.deployVerticle(transitions);
          })
          .onSuccess(v -> timer = vertx.setPeriodic(RETENTION_EVERY.toMillis(), id -> retain()))
          // The first writes: a database another process holds locked fails here, as one that cannot be opened does.
          .recover(e -> opened.close().transform(closed -> Future.failedFuture(e instanceof SQLException sql
              ? InsightDatabase.unusable(opened.file(), "write to", sql) : e)));
    });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return store.close();
  }

  private void logImport(HistoryImport.Report report) {
    if (report.files() == 0) {
      return;
    }
    LOG.info("history import from {}: {} file(s), {} line(s): {} imported, {} already in {}, {} torn line(s) skipped,"
        + " {} older than {} days left out", historyFile, report.files(), report.lines(), report.imported(),
        report.duplicates(), store.file(), report.torn(), report.expired(), retentionDays);
  }

  private Future<Retention.Removed> retain() {
    return Retention.apply(store, retentionDays, Instant.now())
        .onSuccess(r -> {
          if (r.operations() + r.transitions() + r.gaps() > 0) {
            LOG.info("retention of {} days removed {} operation(s), {} transition(s), {} gap(s)", retentionDays,
                r.operations(), r.transitions(), r.gaps());
          }
        })
        .onFailure(e -> LOG.error("retention on {} failed: {}", store.file(), e.getMessage()));
  }
}
