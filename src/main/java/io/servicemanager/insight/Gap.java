package io.servicemanager.insight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  /**
   * The gaps' boundaries in epoch milliseconds, oldest first: start, end, start, end … Overlapping or
   * touching gaps become one, so starts and ends alternate; an open gap ends at Long.MAX_VALUE.
   */
  static long[] boundaries(List<Gap> gaps) {
    List<Gap> sorted = new ArrayList<>(gaps);
    sorted.sort(Comparator.comparing(Gap::start));
    List<long[]> merged = new ArrayList<>();
    for (Gap g : sorted) {
      long start = g.start().toEpochMilli();
      long end = g.end() == null ? Long.MAX_VALUE : g.end().toEpochMilli();
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && start <= last[1]) {
        last[1] = Math.max(last[1], end);
      } else {
        merged.add(new long[] {start, end});
      }
    }
    long[] flat = new long[merged.size() * 2];
    for (int i = 0; i < merged.size(); i++) {
      flat[2 * i] = merged.get(i)[0];
      flat[2 * i + 1] = merged.get(i)[1];
    }
    return flat;
  }
}
