package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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

  /** Fails {@code times} for {@code user} from {@code client}, each a check begun and ended as the server does. */
  private void fail(String client, String user, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(throttle.begin(client, user)).as("attempt %d from %s for %s may be checked", i + 1, client, user).isEmpty();
      throttle.checked(client, user);
      throttle.failed(client, user);
    }
  }

  @Test
  @DisplayName("Five failures for one user from one address close that pair for 30 s; the same user from another address, and that address for another user, go on")
  void perAddressAndUser() {
    fail("10.0.0.1", "alice", 4);
    assertThat(throttle.retryAfter("10.0.0.1", "alice")).isEmpty();
    fail("10.0.0.1", "alice", 1);
    assertThat(throttle.retryAfter("10.0.0.1", "alice")).hasValue(30);
    assertThat(throttle.begin("10.0.0.1", "alice")).as("not even checked").hasValue(30);
    assertThat(throttle.retryAfter("10.9.9.9", "alice")).as("the user name alone is never locked").isEmpty();
    assertThat(throttle.retryAfter("10.0.0.1", "bob")).as("the address is not closed for others").isEmpty();
    clock.now = clock.now.plusSeconds(30);
    assertThat(throttle.retryAfter("10.0.0.1", "alice")).isEmpty();
    assertThat(throttle.failedTotal()).isEqualTo(5);
  }

  @Test
  @DisplayName("A stranger guessing from many addresses never closes the user name: the owner, from an address of their own, is let in")
  void noLockOutByStrangers() {
    for (int a = 0; a < 50; a++) {
      fail("203.0.113." + a, "admin", LoginThrottle.MAX_FAILURES);
      assertThat(throttle.retryAfter("203.0.113." + a, "admin")).as("the stranger at 203.0.113.%d", a).isPresent();
    }
    assertThat(throttle.begin("192.0.2.10", "admin")).as("the owner").isEmpty();
  }

  @Test
  @DisplayName("After the free failures each further failure doubles the delay, from 30 s up to 15 minutes")
  void delaysGrow() {
    fail("10.0.0.1", "alice", LoginThrottle.MAX_FAILURES);
    List<Long> delays = new ArrayList<>();
    delays.add(throttle.retryAfter("10.0.0.1", "alice").getAsLong());
    for (int i = 0; i < 7; i++) {
      clock.now = clock.now.plusSeconds(delays.get(delays.size() - 1));
      fail("10.0.0.1", "alice", 1);
      delays.add(throttle.retryAfter("10.0.0.1", "alice").getAsLong());
    }
    assertThat(delays).containsExactly(30L, 60L, 120L, 240L, 480L, 900L, 900L, 900L);
  }

  @Test
  @DisplayName("Twenty failures from one address, over any user names or tokens, close it for every name; other addresses go on")
  void perAddress() {
    for (int u = 0; u < LoginThrottle.MAX_ADDRESS_FAILURES - 1; u++) {
      fail("192.0.2.1", u % 2 == 0 ? "user" + u : null, 1);
    }
    assertThat(throttle.retryAfter("192.0.2.1", "zed")).isEmpty();
    fail("192.0.2.1", null, 1); // a bad token: the address alone counts
    assertThat(throttle.retryAfter("192.0.2.1", "zed")).hasValue(30);
    assertThat(throttle.retryAfter("192.0.2.1", null)).hasValue(30);
    assertThat(throttle.retryAfter("192.0.2.2", "zed")).isEmpty();
  }

  @Test
  @DisplayName("An IPv6 client counts by its /64: twenty addresses of one /64 close it; another /64 goes on; an IPv4 address counts the same mapped or not")
  void ipv6ByPrefix() {
    for (int i = 1; i <= LoginThrottle.MAX_ADDRESS_FAILURES; i++) {
      fail("2001:db8:1:2::" + Integer.toHexString(i), "user" + i, 1);
    }
    assertThat(throttle.retryAfter("2001:db8:1:2:ffff:1:2:3", "zed")).hasValue(30);
    assertThat(throttle.retryAfter("2001:0db8:0001:0002::99", "zed")).as("the same /64 written out").hasValue(30);
    assertThat(throttle.retryAfter("2001:db8:1:3::1", "zed")).isEmpty();
    assertThat(throttle.retryAfter("::ffff:192.0.2.1", "zed")).isEmpty();
    for (int i = 0; i < LoginThrottle.MAX_ADDRESS_FAILURES; i++) {
      fail("192.0.2.50", "user" + i, 1);
    }
    assertThat(throttle.retryAfter("::ffff:192.0.2.50", "zed")).as("an IPv4 address mapped into IPv6 is the same address").hasValue(30);
  }

  @Test
  @DisplayName("A good password clears that address's failures for that user; the address keeps its own count")
  void successResets() {
    fail("10.0.0.1", "alice", 4);
    throttle.succeeded("10.0.0.1", "alice");
    fail("10.0.0.1", "alice", 4);
    assertThat(throttle.retryAfter("10.0.0.1", "alice")).isEmpty();
    for (int u = 0; u < LoginThrottle.MAX_ADDRESS_FAILURES - 8; u++) {
      fail("10.0.0.1", "user" + u, 1);
    }
    assertThat(throttle.retryAfter("10.0.0.1", "carol")).as("8 + 12 failures from the address").hasValue(30);
    assertThat(throttle.failedTotal()).isEqualTo(LoginThrottle.MAX_ADDRESS_FAILURES);
  }

  @Test
  @DisplayName("A key quiet for an hour after its delay is forgotten: the next failure starts from one")
  void quietKeysAreForgotten() {
    fail("10.0.0.1", "alice", LoginThrottle.MAX_FAILURES);
    clock.now = clock.now.plus(LoginThrottle.FORGET).plusSeconds(30);
    fail("10.0.0.1", "alice", LoginThrottle.MAX_FAILURES - 1);
    assertThat(throttle.retryAfter("10.0.0.1", "alice")).isEmpty();
  }

  @Test
  @DisplayName("Checks still under way count as possible failures: a burst of parallel guesses is held back, and let through again as they end")
  void checksUnderWayCount() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.begin("192.0.2.7", "alice")).isEmpty();
    }
    assertThat(throttle.begin("192.0.2.7", "alice")).hasValue(1);
    assertThat(throttle.retryAfter("192.0.2.7", "alice")).as("no failure recorded yet: a remembered password goes on").isEmpty();
    assertThat(throttle.begin("192.0.2.8", "bob")).as("other addresses and users go on").isEmpty();
    throttle.checked("192.0.2.7", "alice");
    assertThat(throttle.begin("192.0.2.7", "alice")).as("one check done, one slot free").isEmpty();
    for (int i = 0; i < 5; i++) {
      throttle.checked("192.0.2.7", "alice");
    }
    throttle.failed("192.0.2.7", "alice");
    assertThat(throttle.begin("192.0.2.7", "alice")).isEmpty();
  }

  @Test
  @DisplayName("A flood of single failures from 20 000 addresses pushes out none of an attacker's counts: the closed pair stays closed, the half-spent one keeps its failures")
  void floodCannotEvictAnAttacker() {
    fail("198.51.100.1", "admin", LoginThrottle.MAX_FAILURES);
    fail("198.51.100.2", "admin", 3);
    clock.now = clock.now.plusSeconds(1);
    for (int i = 0; i < 20_000; i++) {
      throttle.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), "x");
    }
    assertThat(throttle.size()).isLessThanOrEqualTo(LoginThrottle.MAX_KEYS);
    assertThat(throttle.retryAfter("198.51.100.1", "admin")).hasValue(29);
    fail("198.51.100.2", "admin", 2);
    assertThat(throttle.retryAfter("198.51.100.2", "admin")).as("3 + 2 failures").hasValue(30);
  }

  @Test
  @DisplayName("Two threads beginning checks at once for one address and user let in exactly five between them")
  void beginIsAtomicAcrossThreads() throws Exception {
    LoginThrottle shared = new LoginThrottle(Clock.fixed(clock.now, ZoneOffset.UTC));
    List<Integer> admitted = inTwoThreads(thread -> {
      int let = 0;
      for (int i = 0; i < 10_000; i++) {
        if (shared.begin("10.0.0.1", "alice").isEmpty()) {
          let++;
        }
      }
      return let;
    });
    assertThat(admitted.get(0) + admitted.get(1)).isEqualTo(LoginThrottle.MAX_FAILURES);
  }

  @Test
  @DisplayName("Failures recorded from two threads at once are all kept: every pair with five is closed, the total is exact")
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
        assertThat(shared.retryAfter("t" + thread + "-" + u, "user-" + thread + "-" + u)).as("user-%d-%d", thread, u).isPresent();
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
