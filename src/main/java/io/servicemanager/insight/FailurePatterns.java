package io.servicemanager.insight;

import io.servicemanager.insight.Uptime.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a window's failures have in common: reasons that repeat, bursts, crashes right after a start. */
public final class FailurePatterns {
  /** How close failures must come to count as flapping, and how many of them. */
  public static final Duration FLAPPING_WINDOW = Duration.ofMinutes(10);
  public static final int FLAPPING_COUNT = 3;
  /** A failure this soon after a start was reported successful means the start's "done" did not last. */
  public static final Duration EARLY_CRASH = Duration.ofMinutes(10);

  private FailurePatterns() {}

  /** Failures of one reason. */
  public record Pattern(String reason, String words, int count, Instant first, Instant last) {}

  /**
   * The most failures within any {@link #FLAPPING_WINDOW}, and the first and last of them: "failed
   * {@code count} times in 10 min".
   */
  public record Burst(int count, Instant first, Instant last) {
    public boolean flapping() {
      return count >= FLAPPING_COUNT;
    }
  }

  /** A failure {@code after} a start that was reported successful at {@code started}. */
  public record EarlyCrash(Instant started, Instant failed, String reason) {
    public Duration after() {
      return Duration.between(started, failed);
    }
  }

  /**
   * Failures grouped by reason code, the most frequent first (then the most recent).
   *
   * @param words each reason's words (those of its latest failure); a reason without gets null
   */
  public static List<Pattern> byReason(List<Failure> failures, Map<String, String> words) {
    Map<String, Pattern> byCode = new LinkedHashMap<>();
    for (Failure f : failures) {
      byCode.merge(f.reason(), new Pattern(f.reason(), words.get(f.reason()), 1, f.at(), f.at()),
          (a, b) -> new Pattern(a.reason(), a.words(), a.count() + 1, a.first(), b.last()));
    }
    List<Pattern> patterns = new ArrayList<>(byCode.values());
    patterns.sort(Comparator.comparingInt(Pattern::count).reversed().thenComparing(Pattern::last, Comparator.reverseOrder()));
    return patterns;
  }

  /** The densest burst of failures (oldest first in, a sliding window); count 0 without failures. */
  public static Burst worstBurst(List<Failure> failures) {
    Burst worst = new Burst(0, null, null);
    int start = 0;
    for (int end = 0; end < failures.size(); end++) {
      Instant last = failures.get(end).at();
      while (Duration.between(failures.get(start).at(), last).compareTo(FLAPPING_WINDOW) >= 0) {
        start++;
      }
      int count = end - start + 1;
      if (count > worst.count()) {
        worst = new Burst(count, failures.get(start).at(), last);
      }
    }
    return worst;
  }

  /**
   * For each start reported successful, the first failure after it, if it came within
   * {@link #EARLY_CRASH} and before the next such start. Both lists oldest first.
   */
  public static List<EarlyCrash> earlyCrashes(List<Instant> successfulStarts, List<Failure> failures) {
    List<EarlyCrash> crashes = new ArrayList<>();
    int f = 0;
    for (int s = 0; s < successfulStarts.size(); s++) {
      Instant started = successfulStarts.get(s);
      Instant nextStart = s + 1 < successfulStarts.size() ? successfulStarts.get(s + 1) : null;
      while (f < failures.size() && !failures.get(f).at().isAfter(started)) {
        f++;
      }
      if (f == failures.size()) {
        break;
      }
      Failure first = failures.get(f);
      boolean soon = Duration.between(started, first.at()).compareTo(EARLY_CRASH) <= 0;
      if (soon && (nextStart == null || first.at().isBefore(nextStart))) {
        crashes.add(new EarlyCrash(started, first.at(), first.reason()));
      }
    }
    return crashes;
  }
}
