package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> next(Backoff backoff, int times) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      delays.add(backoff.next());
    }
    return delays;
  }

  @Test
  @DisplayName("Each failure doubles the pause, from the first delay up to the cap, and it stays at the cap")
  void doublesUpToTheCap() {
    assertThat(next(new Backoff(100, 5_000), 9))
        .containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L, 5_000L);
  }

  @Test
  @DisplayName("A cap that is not a power-of-two multiple of the first delay is reached exactly, never passed")
  void capBetweenDoublings() {
    assertThat(next(new Backoff(20, 50), 4)).containsExactly(20L, 40L, 50L, 50L);
  }

  @Test
  @DisplayName("After a reset the next failure waits the first delay again, and doubles from there")
  void resetStartsOver() {
    Backoff backoff = new Backoff(500, 10_000);
    next(backoff, 6);
    backoff.reset();
    assertThat(next(backoff, 3)).containsExactly(500L, 1_000L, 2_000L);
  }

  @Test
  @DisplayName("The pause by attempt number is the same sequence the failure counter walks through")
  void byAttemptNumber() {
    Backoff counted = new Backoff(1_000, 60_000);
    Backoff byNumber = new Backoff(1_000, 60_000);
    assertThat(next(counted, 10))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(byNumber::delayMs).toList());
    assertThat(byNumber.delayMs(1)).isEqualTo(1_000);
    assertThat(byNumber.delayMs(6)).isEqualTo(32_000);
    assertThat(byNumber.delayMs(7)).isEqualTo(60_000);
  }

  @Test
  @DisplayName("Attempt numbers far past the cap give the cap, not an overflowed delay")
  void noOverflow() {
    Backoff backoff = new Backoff(1_000, 60_000);
    assertThat(backoff.delayMs(40)).isEqualTo(60_000);
    assertThat(backoff.delayMs(64)).isEqualTo(60_000);
    assertThat(backoff.delayMs(Integer.MAX_VALUE)).isEqualTo(60_000);
    assertThat(new Backoff(1, Long.MAX_VALUE).delayMs(63)).isEqualTo(1L << 62);
    assertThat(new Backoff(1, Long.MAX_VALUE).delayMs(64)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("Without jitter, two back-offs with the same settings give the same delays")
  void deterministic() {
    assertThat(next(new Backoff(100, 5_000), 8)).isEqualTo(next(new Backoff(100, 5_000), 8));
  }

  @Test
  @DisplayName("A zero or negative first delay, a cap below it, or attempt 0 is refused")
  void badSettings() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(0, 1_000));
    assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(-1, 1_000));
    assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(2_000, 1_000));
    assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(100, 5_000).delayMs(0));
  }
}
