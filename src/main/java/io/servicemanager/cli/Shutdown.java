package io.servicemanager.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a shutdown hook does with Vert.x: close it, but never wait for ever (a stop that hangs must not keep the process). */
final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
  /** systemd's default stop timeout is 90 s; what is still open after this is given up. */
  static final long CLOSE_SECONDS = 20;

  private Shutdown() {}

  static void close(Vertx vertx) {
    close(vertx, CLOSE_SECONDS);
  }

  /** @return whether Vert.x closed in time */
  static boolean close(Vertx vertx, long seconds) {
    try {
      vertx.close().await(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.error("Vert.x did not close within {} s; exiting anyway", seconds);
      return false;
    }
  }
}
