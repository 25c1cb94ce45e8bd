package io.servicemanager.insight;

import io.servicemanager.insight.Transition.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Uptime arithmetic over one service's transitions in a window [from, to), in a single pass: feed
 * the transitions oldest first (the last one before {@code from} too, for the state the window
 * starts in), then read {@link #result()}.
 *
 * <p>Rules: "active" and "reloading" are up; "error", "unreachable" and "unknown" are not known;
 * every other state is down. Time before the first known state, inside a {@link Gap}, and after a
 * gap until the next transition counts as neither up nor down: at a gap's start the state becomes
 * unknown, because it may have changed while nobody watched. A failure is
 * {@link Transition#isFailure()}; a restart is a return to up from a known down state.
 */
public final class Uptime {
  private static final Set<String> UP = Set.of("active", "reloading");
  private static final Set<String> UNKNOWN = Set.of("error", "unreachable", "unknown");

  /** One failure in the window, with its {@link FailureReason#code()}. */
  public record Failure(Instant at, String reason) {}

  /**
   * @param streak the state at the window's end and since when; null when it is not known
   */
  public record Figures(long windowMs, long upMs, long downMs, List<Failure> failures, Map<Cause, Integer> restarts,
      Long mttrMs, Streak streak) {
    public long observedMs() {
      return upMs + downMs;
    }

    /** Up time over observed time, in percent; null when nothing was observed. */
    public Double uptimePercent() {
      return observedMs() == 0 ? null : 100.0 * upMs / observedMs();
    }

    /** The share of the window in which the state was known, 0 to 1. */
    public double observedShare() {
      return windowMs == 0 ? 0 : (double) observedMs() / windowMs;
    }

    /** Observed up time per failure; null without failures. */
    public Long mtbfMs() {
      return failures.isEmpty() ? null : upMs / failures.size();
    }
  }

  /**
   * @param since when the service went up (or down); before the window's start if it did so earlier
   * @param exact false when the service was already so when it was first seen (after a start or gap),
   *     so it may have been so for longer
   */
  public record Streak(boolean up, Instant since, boolean exact) {}

  private final long from;
  private final long to;
  /** Gap boundaries, oldest first: start, end, start, end … (merged, so they alternate). */
  private final long[] boundaries;
  private int next;
  private long cursor = Long.MIN_VALUE;
  private long lastAt = Long.MIN_VALUE;
  private boolean inGap;
  /** Up, down, or null: not known. */
  private Boolean state;
  private long upMs;
  private long downMs;
  private final List<Failure> failures = new ArrayList<>();
  private final Map<Cause, Integer> restarts = new EnumMap<>(Cause.class);
  private Long repairStart;
  private long repairTotal;
  private int repairs;
  private Boolean streakUp;
  private Instant since;
  private boolean sinceExact;

  public Uptime(Instant from, Instant to, List<Gap> gaps) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
    }
    this.from = from.toEpochMilli();
    this.to = to.toEpochMilli();
    this.boundaries = Gap.boundaries(gaps);
    for (Cause c : Cause.values()) {
      restarts.put(c, 0);
    }
  }

  /** Whether an ActiveState counts as up (TRUE), down (FALSE), or is not known (null). */
  public static Boolean up(String activeState) {
    return activeState == null || UNKNOWN.contains(activeState) ? null : UP.contains(activeState);
  }

  /** Takes the next transition; oldest first, or IllegalArgumentException. */
  public void accept(Transition t) {
    boolean failure = t.isFailure();
    accept(t.at().toEpochMilli(), up(t.to()), t.cause(), failure, failure ? t.reasonCode() : null);
  }

  /**
   * {@link #accept(Transition)} for what the arithmetic needs of a transition only, so a store can
   * feed it from a few narrow columns.
   *
   * @param up {@link #up(String)} of the state entered
   * @param reason the failure's reason code when {@code failure}
   */
  public void accept(long at, Boolean up, Cause cause, boolean failure, String reason) {
    if (at < lastAt) {
      throw new IllegalArgumentException("transitions must come oldest first: " + Instant.ofEpochMilli(at)
          + " after " + Instant.ofEpochMilli(lastAt));
    }
    lastAt = at;
    if (at >= to) {
      return;
    }
    advanceTo(at);
    boolean inWindow = at >= from;
    Boolean previous = state;
    boolean known = up != null;
    if (inWindow && failure) {
      failures.add(new Failure(Instant.ofEpochMilli(at), reason));
      repairStart = inGap ? null : at;
    }
    if (known && up) {
      if (inWindow && Boolean.FALSE.equals(previous)) {
        restarts.merge(cause, 1, Integer::sum);
      }
      if (repairStart != null) {
        repairTotal += at - repairStart;
        repairs++;
        repairStart = null;
      }
    }
    if (!known) {
      streakUp = null;
    } else if (streakUp == null || !streakUp.equals(up)) {
      since = Instant.ofEpochMilli(at);
      sinceExact = previous != null;
      streakUp = up;
    }
    state = up;
  }

  /** The figures for the window; call once, after the last transition. */
  public Figures result() {
    advanceTo(to);
    Streak streak = state == null || streakUp == null ? null : new Streak(streakUp, since, sinceExact);
    return new Figures(to - from, upMs, downMs, List.copyOf(failures), Map.copyOf(restarts),
        repairs == 0 ? null : repairTotal / repairs, streak);
  }

  private void advanceTo(long at) {
    while (next < boundaries.length && boundaries[next] <= at) {
      account(cursor, boundaries[next]);
      cursor = boundaries[next];
      inGap = next % 2 == 0;
      if (inGap) {
        state = null;
        streakUp = null;
        repairStart = null; // the repair's end will not be seen
      }
      next++;
    }
    account(cursor, at);
    cursor = Math.max(cursor, at);
  }

  private void account(long start, long end) {
    if (inGap || state == null) {
      return;
    }
    long lo = Math.max(start, from);
    long hi = Math.min(end, to);
    if (hi > lo) {
      if (state) {
        upMs += hi - lo;
      } else {
        downMs += hi - lo;
      }
    }
  }
}
