package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  /** A clock the test moves. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  private final ManualClock clock = new ManualClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  @DisplayName("Five failures for one user within five minutes block that user from any address until the first ages out")
  void perUser() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.retryAfter("10.0.0." + i, "alice")).isEmpty();
      throttle.failed("10.0.0." + i, "alice");
      clock.now = clock.now.plusSeconds(10);
    }
    assertThat(throttle.retryAfter("10.9.9.9", "alice")).hasValue(300 - 50);
    assertThat(throttle.retryAfter("10.9.9.9", "bob")).as("other users are not blocked").isEmpty();
    clock.now = clock.now.plusSeconds(250);
    assertThat(throttle.retryAfter("10.9.9.9", "alice")).isEmpty();
    assertThat(throttle.failedTotal()).isEqualTo(5);
  }

  @Test
  @DisplayName("Five failures from one address block it for every user name; other addresses go on")
  void perAddress() {
    for (String user : new String[] {"a", "b", "c", "d", "e"}) {
      throttle.failed("192.0.2.1", user);
    }
    assertThat(throttle.retryAfter("192.0.2.1", "zed")).hasValue(300);
    assertThat(throttle.retryAfter("192.0.2.2", "zed")).isEmpty();
    throttle.failed("192.0.2.2", null); // a bad token: the address alone counts
    assertThat(throttle.retryAfter("192.0.2.2", null)).isEmpty();
  }

  @Test
  @DisplayName("A good password clears that user's failures")
  void successResets() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("10.0.0." + i, "alice");
    }
    throttle.succeeded("alice");
    throttle.failed("10.0.0.9", "alice");
    assertThat(throttle.retryAfter("10.0.0.10", "alice")).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(throttle.failedTotal()).isEqualTo(5);
  }

  @Test
  @DisplayName("Checks still under way count as possible failures: a burst of parallel guesses is held back, and let through again as they end")
  void checksUnderWayCount() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.retryAfter("192.0.2.7", "alice")).isEmpty();
      throttle.checking("192.0.2.7", "alice");
    }
    assertThat(throttle.retryAfter("192.0.2.7", "alice")).hasValue(1);
    assertThat(throttle.retryAfter("192.0.2.8", "bob")).as("other addresses and users go on").isEmpty();
    throttle.checked("192.0.2.7", "alice");
    assertThat(throttle.retryAfter("192.0.2.7", "alice")).as("one check done, one slot free").isEmpty();
    for (int i = 0; i < 4; i++) {
      throttle.checked("192.0.2.7", "alice");
    }
    throttle.failed("192.0.2.7", "alice");
    assertThat(throttle.retryAfter("192.0.2.7", "alice")).isEmpty();
  }

  @Test
  @DisplayName("Two threads beginning checks at once for one user let in exactly five between them")
  void beginIsAtomicAcrossThreads() throws Exception {
    LoginThrottle shared = new LoginThrottle(Clock.fixed(clock.now, ZoneOffset.UTC));
    List<Integer> admitted = inTwoThreads(thread -> {
      int let = 0;
      for (int i = 0; i < 10_000; i++) {
        if (shared.begin("10.0.0." + thread, "alice").isEmpty()) {
          let++;
        }
      }
      return let;
    });
    assertThat(admitted.get(0) + admitted.get(1)).isEqualTo(LoginThrottle.MAX_FAILURES);
  }

  @Test
  @DisplayName("Failures recorded from two threads at once are all kept: every user with five is blocked, the total is exact")
  void failuresFromTwoThreads() throws Exception {
    LoginThrottle shared = new LoginThrottle(Clock.fixed(clock.now, ZoneOffset.UTC));
    int users = 1_000;
    inTwoThreads(thread -> {
      for (int round = 0; round < LoginThrottle.MAX_FAILURES; round++) {
        for (int u = 0; u < users; u++) {
          shared.begin("t" + thread + "-" + u, "user-" + thread + "-" + u);
          shared.checked("t" + thread + "-" + u, "user-" + thread + "-" + u);
          shared.failed("t" + thread + "-" + u, "user-" + thread + "-" + u);
        }
      }
      return 0;
    });
    assertThat(shared.failedTotal()).isEqualTo(2L * users * LoginThrottle.MAX_FAILURES);
    for (int thread = 0; thread < 2; thread++) {
      for (int u = 0; u < users; u++) {
        assertThat(shared.retryAfter("192.0.2.99", "user-" + thread + "-" + u)).as("user-%d-%d", thread, u).isPresent();
      }
    }
  }

  /** Runs {@code work} (given 0 or 1) on two threads released at the same moment; their results in order. */
  private static List<Integer> inTwoThreads(IntFunction<Integer> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          go.await();
          return work.apply(thread);
        }));
      }
      go.countDown();
      List<Integer> done = new ArrayList<>();
      for (Future<Integer> r : results) {
        done.add(r.get(30, TimeUnit.SECONDS));
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }
}
