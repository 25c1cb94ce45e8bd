package io.servicemanager.history;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM {@link HistoryCrashTest} kills: appends records numbered 0, 1, … (a few in flight at a
 * time) and prints {@code acked n} once the append of record n has completed. Exits by itself when
 * its parent goes (stdin closes) or after {@code max} records.
 *
 * <p>Arguments: history file, max bytes per file, max records.
 */
public final class HistoryCrashChild {
  private static final int IN_FLIGHT = 8;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long maxBytes = Long.parseLong(args[1]);
    int max = Integer.parseInt(args[2]);
    Thread orphaned = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent never writes; EOF means it has gone
        }
      } catch (Exception e) {
        // same
      }
      Runtime.getRuntime().halt(3);
    }, "parent-watch");
    orphaned.setDaemon(true);
    orphaned.start();

    Vertx vertx = Vertx.vertx();
    HistoryStore store = new HistoryStore(vertx, file, maxBytes, 1000);
    AtomicInteger next = new AtomicInteger();
    vertx.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        appendNext(store, next, max);
      }
    });
  }

  private static void appendNext(HistoryStore store, AtomicInteger next, int max) {
    int n = next.getAndIncrement();
    if (n >= max) {
      return;
    }
    store.append(HistoryStoreTest.record("crash", n))
        .onSuccess(v -> {
          System.out.println("acked " + n);
          System.out.flush();
          appendNext(store, next, max);
        })
        .onFailure(e -> {
          System.out.println("failed " + n + ": " + e.getMessage());
          System.out.flush();
        });
  }
}
