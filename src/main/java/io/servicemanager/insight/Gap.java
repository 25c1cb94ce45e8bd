package io.servicemanager.insight;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Time in which Service Manager did not know the services' state: it was stopped, it had crashed,
 * or it had lost the bus. Such time counts as neither up nor down.
 *
 * @param end null while the gap is still open (its end not yet recorded)
 */
public record Gap(Instant start, Instant end, Kind kind) {
  public enum Kind {
    /** Service Manager was stopped cleanly; the gap starts at the stop. */
    STOPPED,
    /** Service Manager ended without a stop; found at the next start, from the last moment it was known to run. */
    CRASHED,
    /** The D-Bus connection to systemd was lost. */
    BUS_LOST;

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public Gap {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(kind, "kind");
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("a gap cannot end (" + end + ") before it starts (" + start + ")");
    }
  }
}
