package io.servicemanager.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.DEFAULT;

  @Test
  @DisplayName("Back-off doubles from 1 s and stops growing at 60 s")
  void cappedExponential() {
    assertThat(policy.delayMs(1, 0)).isEqualTo(1_000);
    assertThat(policy.delayMs(2, 0)).isEqualTo(2_000);
    assertThat(policy.delayMs(3, 0)).isEqualTo(4_000);
    assertThat(policy.delayMs(6, 0)).isEqualTo(32_000);
    assertThat(policy.delayMs(7, 0)).isEqualTo(60_000);
    assertThat(policy.delayMs(40, 0)).isEqualTo(60_000);
  }

  @Test
  @DisplayName("A receiver's longer Retry-After is honoured, still within the cap")
  void retryAfter() {
    assertThat(policy.delayMs(1, 5_000)).isEqualTo(5_000);
    assertThat(policy.delayMs(3, 1_000)).isEqualTo(4_000);
    assertThat(policy.delayMs(1, 3_600_000)).isEqualTo(60_000);
  }
}
