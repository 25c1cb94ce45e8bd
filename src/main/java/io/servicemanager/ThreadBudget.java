package io.servicemanager;

import io.vertx.core.VertxOptions;

/**
 * The sizes of Vert.x's thread pools. A fixed pool starts a new thread for each task until it is full,
 * even while its other threads idle, so Vert.x's defaults (20 workers, 20 internal blocking threads)
 * all come to exist after a few minutes of config-file checks and D-Bus reads, and each holds its stack
 * and a malloc arena: measured with scripts/bench-footprint (src/bench/README.md, "Footprint").
 */
public final class ThreadBudget {
  /**
   * Blocking D-Bus calls, journal reads and the metrics scrape; each verticle waits for its own calls in
   * order, so a handful serves every verticle at once. The database and Argon2 have pools of their own.
   */
  public static final int WORKERS = 8;
  /** Vert.x's own file-system calls: the watched config files, the dashboard's files. */
  public static final int INTERNAL_BLOCKING = 4;

  private ThreadBudget() {}

  public static VertxOptions apply(VertxOptions options) {
    return options.setWorkerPoolSize(WORKERS).setInternalBlockingPoolSize(INTERNAL_BLOCKING);
  }
}
