package io.servicemanager.systemd;

import io.servicemanager.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SystemdClient} connected: connects, runs {@code afterConnect} (a full re-read, say),
 * and after a failure or a lost bus tries again with capped exponential back-off. Lives on the
 * owning verticle's context; the owner forwards {@link SystemdEvents#disconnected} to {@link #lost}.
 */
public final class BusKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(BusKeeper.class);
  static final long FIRST_RETRY_MS = 100;
  static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final SystemdClient systemd;
  private final SystemdEvents events;
  private final Supplier<Future<Void>> afterConnect;
  private final Runnable onFailure;
  private final String who;
  private final Backoff backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
  private long retryTimer = -1;
  private int failures;
  private boolean stopped;

  /**
   * @param afterConnect runs after each successful connect; its failure counts as a failed attempt
   * @param onFailure runs after each failed attempt (to turn statuses to error, say)
   */
  public BusKeeper(Vertx vertx, SystemdClient systemd, SystemdEvents events, String who,
      Supplier<Future<Void>> afterConnect, Runnable onFailure) {
    this.vertx = vertx;
    this.systemd = systemd;
    this.events = events;
    this.who = who;
    this.afterConnect = afterConnect;
    this.onFailure = onFailure;
  }

  /** Completes, successfully, once the first attempt has ended — connected or not. */
  public Future<Void> start() {
    return connect();
  }

  /** The bus went away: try again soon. */
  public void lost(String reason) {
    LOG.warn("{}: {}; reconnecting", who, reason);
    retry();
  }

  public Future<Void> stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    return systemd.close();
  }

  private Future<Void> connect() {
    return systemd.connect(events)
        .compose(v -> afterConnect.get())
        .onSuccess(v -> {
          if (failures > 0) {
            LOG.info("{}: D-Bus is back after {} failed attempts", who, failures);
          }
          backoff.reset();
          failures = 0;
        })
        .onFailure(e -> {
          // Say it once loudly; a bus that stays away would otherwise fill the log.
          if (failures++ == 0) {
            LOG.warn("{}: D-Bus unavailable ({}); retrying with back-off up to {} ms", who, e.getMessage(), MAX_RETRY_MS);
          } else {
            LOG.debug("{}: D-Bus still unavailable ({})", who, e.getMessage());
          }
          onFailure.run();
          retry();
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void retry() {
    if (stopped || retryTimer >= 0) {
      return;
    }
    long delay = backoff.next();
    LOG.debug("{}: next attempt in {} ms", who, delay);
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      connect();
    });
  }
}
