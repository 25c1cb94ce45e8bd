package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
}
