package io.servicemanager.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Backoff;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  @DisplayName("Delays double from 0.5 s to a cap of 10 s, and start again at 0.5 s after a reset")
  void doublesUpToTheCap() {
    Backoff backoff = new Backoff(FeedWatcher.FIRST_RETRY_MS, FeedWatcher.MAX_RETRY_MS);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(backoff.next());
    }
    assertThat(delays).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L, 10_000L);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(500L);
  }
}
