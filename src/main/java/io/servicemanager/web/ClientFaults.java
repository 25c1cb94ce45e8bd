package io.servicemanager.web;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of clients' mistakes (malformed requests, bodies over the limit, slow or dead peers) and,
 * with a budget of its own, of refused credentials (wrong passwords, throttled attempts, unknown
 * tokens, foreign origins): at WARN, never ERROR — ERROR is for our own faults — and at most
 * {@link #PER_INTERVAL} lines per {@link #INTERVAL_MS}, so a client cannot fill the disk or bury a
 * real error. The first line of the next interval says how many were left out. Each budget is shared
 * by every HTTP instance; refused credentials are counted in full by the login-failure meter.
 */
final class ClientFaults {
  static final int PER_INTERVAL = 10;
  static final long INTERVAL_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(ClientFaults.class);
  /** One budget for the whole process: several HTTP instances must not multiply it. */
  static final ClientFaults HTTP = new ClientFaults(LOG::warn, System::currentTimeMillis);
  /** Refused credentials: a flood of wrong passwords must not crowd out the malformed-request lines, nor they it. */
  static final ClientFaults AUTH = new ClientFaults(LoggerFactory.getLogger(Authenticator.class)::warn,
      System::currentTimeMillis, "refused credentials");

  private final Consumer<String> sink;
  private final LongSupplier clock;
  private final String what;
  private long intervalStart = Long.MIN_VALUE;
  private int written;
  private long suppressed;

  ClientFaults(Consumer<String> sink, LongSupplier clock) {
    this(sink, clock, "client errors");
  }

  /** {@code what} names the faults in the line that counts those left out. */
  ClientFaults(Consumer<String> sink, LongSupplier clock, String what) {
    this.sink = sink;
    this.clock = clock;
    this.what = what;
  }

  /** One client fault, described by {@code message} (which must not echo unbounded client input). */
  synchronized void log(String message) {
    long now = clock.getAsLong();
    if (intervalStart == Long.MIN_VALUE || now - intervalStart >= INTERVAL_MS) {
      if (suppressed > 0) {
        sink.accept(suppressed + " more " + what + " in the last " + (now - intervalStart) / 1000
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
