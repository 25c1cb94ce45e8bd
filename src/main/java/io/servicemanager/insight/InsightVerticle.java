package io.servicemanager.insight;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after an opened {@link InsightStore} for the application: at start it imports the old
 * history file once and applies the retention, then applies it again every day; at stop it closes
 * the store, after the work already asked of it. Reads nothing from systemd.
 */
public final class InsightVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InsightVerticle.class);
  static final Duration RETENTION_EVERY = Duration.ofDays(1);

  private final InsightStore store;
  private final Path historyFile;
  private final int retentionDays;
  private long timer = -1;

  /**
   * @param historyFile the {@code history_file} of config.yaml, imported with its rotated files;
   *     a missing file imports nothing
   */
  public InsightVerticle(InsightStore store, Path historyFile, int retentionDays) {
    this.store = store;
    this.historyFile = historyFile;
    this.retentionDays = retentionDays;
  }

  @Override
  public Future<?> start() {
    return HistoryImport.run(store, historyFile, Instant.now().minus(Duration.ofDays(retentionDays)))
        .onSuccess(this::logImport)
        .compose(r -> retain().otherwiseEmpty())
        .onSuccess(v -> timer = vertx.setPeriodic(RETENTION_EVERY.toMillis(), id -> retain()));
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
