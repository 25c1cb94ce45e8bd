package io.servicemanager.web;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of clients' mistakes (malformed requests, bodies over the limit, slow or dead peers): at
 * WARN, never ERROR — ERROR is for our own faults — and at most {@link #PER_INTERVAL} lines per
 * {@link #INTERVAL_MS}, so a client cannot fill the disk or bury a real error. The first line of
 * the next interval says how many were left out. Shared by every HTTP instance.
 */
final class ClientFaults {
  static final int PER_INTERVAL = 10;
  static final long INTERVAL_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(ClientFaults.class);
  /** One budget for the whole process: several HTTP instances must not multiply it. */
  static final ClientFaults HTTP = new ClientFaults(LOG::warn, System::currentTimeMillis);

  private final Consumer<String> sink;
  private final LongSupplier clock;
  private long intervalStart = Long.MIN_VALUE;
  private int written;
  private long suppressed;

  ClientFaults(Consumer<String> sink, LongSupplier clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /** One client fault, described by {@code message} (which must not echo unbounded client input). */
  synchronized void log(String message) {
    long now = clock.getAsLong();
    if (intervalStart == Long.MIN_VALUE || now - intervalStart >= INTERVAL_MS) {
      if (suppressed > 0) {
        sink.accept(suppressed + " more client errors in the last " + (now - intervalStart) / 1000
            + " s were not logged");
      }
      intervalStart = now;
      written = 0;
      suppressed = 0;
    }
    if (written < PER_INTERVAL) {
      written++;
      sink.accept(message);
    } else {
      suppressed++;
    }
  }
}
