package io.servicemanager.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed logins per client address and per user name: after {@link #MAX_FAILURES} within
 * {@link #WINDOW}, further attempts are refused (429) until the oldest failure leaves the window —
 * without checking the password, so guessing costs the server nothing. An attempt still being
 * checked counts as a possible failure, so a burst of guesses sent at once cannot outrun the count.
 *
 * <p>One throttle serves every HTTP verticle instance, each on its own event loop: otherwise N
 * instances would give an attacker N times the guesses. Its methods are synchronized — it is off
 * the hot path (a login, not a push) — and {@link #begin} checks and counts an attempt in one step,
 * so two loops cannot both let in the attempt that should have been the last.
 */
public final class LoginThrottle {
  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(5);
  /** Bounds memory under a flood of distinct names or addresses; the oldest keys go first. */
  private static final int MAX_KEYS = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Long>> failures = new java.util.LinkedHashMap<>();
  private final Map<String, Integer> checking = new HashMap<>();
  private final AtomicLong failedTotal = new AtomicLong();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Seconds to wait when {@code client} or {@code user} is blocked now; empty when an attempt may go ahead. */
  public synchronized OptionalLong retryAfter(String client, String user) {
    long now = clock.millis();
    long wait = Math.max(wait("ip:" + client, now), user == null ? 0 : wait("user:" + user, now));
    return wait > 0 ? OptionalLong.of((wait + 999) / 1000) : OptionalLong.empty();
  }

  /**
   * An attempt to check a password: when {@code client} or {@code user} is blocked, the seconds to
   * wait and nothing is counted; else the check is counted as begun ({@link #checking}) and
   * {@link #checked} must follow, whatever the outcome.
   */
  public synchronized OptionalLong begin(String client, String user) {
    OptionalLong wait = retryAfter(client, user);
    if (wait.isEmpty()) {
      checking(client, user);
    }
    return wait;
  }

  /** A password check begins; {@link #checked} must follow, whatever the outcome. */
  public synchronized void checking(String client, String user) {
    checking.merge("ip:" + client, 1, Integer::sum);
    if (user != null) {
      checking.merge("user:" + user, 1, Integer::sum);
    }
  }

  public synchronized void checked(String client, String user) {
    checking.computeIfPresent("ip:" + client, (k, n) -> n > 1 ? n - 1 : null);
    if (user != null) {
      checking.computeIfPresent("user:" + user, (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  public synchronized void failed(String client, String user) {
    failedTotal.incrementAndGet();
    long now = clock.millis();
    record("ip:" + client, now);
    if (user != null) {
      record("user:" + user, now);
    }
  }

  /** A good password clears the user's failures; the address keeps its count. */
  public synchronized void succeeded(String user) {
    failures.remove("user:" + user);
  }

  /** Every failed attempt since start, for logs and metrics. */
  public long failedTotal() {
    return failedTotal.get();
  }

  private long wait(String key, long now) {
    int pending = checking.getOrDefault(key, 0);
    Deque<Long> times = failures.get(key);
    if (times != null) {
      prune(times, now);
      if (times.isEmpty()) {
        failures.remove(key);
        times = null;
      }
    }
    int failed = times == null ? 0 : times.size();
    if (failed >= MAX_FAILURES) {
      return times.peekFirst() + WINDOW.toMillis() - now;
    }
    // Blocked only by checks under way: come back once they are done.
    return failed + pending >= MAX_FAILURES ? 1000 : 0;
  }

  private void record(String key, long now) {
    Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    prune(times, now);
    times.addLast(now);
    while (times.size() > MAX_FAILURES) {
      times.removeFirst();
    }
    if (failures.size() > MAX_KEYS) {
      var it = failures.keySet().iterator();
      it.next();
      it.remove();
    }
  }

  private void prune(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() + WINDOW.toMillis() <= now) {
      times.removeFirst();
    }
  }
}
