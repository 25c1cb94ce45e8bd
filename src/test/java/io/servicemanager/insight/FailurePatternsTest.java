package io.servicemanager.insight;

import static io.servicemanager.insight.UptimeTest.m;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.insight.FailurePatterns.Burst;
import io.servicemanager.insight.FailurePatterns.EarlyCrash;
import io.servicemanager.insight.FailurePatterns.Pattern;
import io.servicemanager.insight.OperationFigures.Done;
import io.servicemanager.insight.Uptime.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FailurePatternsTest {
  static Failure failure(double minutes, String reason) {
    return new Failure(m(minutes), reason);
  }

  @Test
  @DisplayName("Failures group by reason, the most frequent first, each with its words, count, first and last")
  void byReason() {
    List<Pattern> patterns = FailurePatterns.byReason(List.of(failure(1, "exit-code:1"), failure(2, "signal:KILL"),
        failure(3, "exit-code:1"), failure(4, "oom-kill"), failure(5, "exit-code:1"), failure(6, "signal:KILL")),
        Map.of("exit-code:1", "words of exit-code:1", "signal:KILL", "words of signal:KILL"));
    assertThat(patterns).containsExactly(
        new Pattern("exit-code:1", "words of exit-code:1", 3, m(1), m(5)),
        new Pattern("signal:KILL", "words of signal:KILL", 2, m(2), m(6)),
        new Pattern("oom-kill", null, 1, m(4), m(4)));
    assertThat(FailurePatterns.byReason(List.of(), Map.of())).isEmpty();
  }

  @Test
  @DisplayName("Three failures within 10 minutes are flapping: 'failed N times in 10 min', with the densest burst")
  void flapping() {
    Burst burst = FailurePatterns.worstBurst(List.of(failure(0, "a"), failure(30, "a"), failure(31, "a"),
        failure(35, "a"), failure(39.9, "a"), failure(50, "a")));
    assertThat(burst).isEqualTo(new Burst(4, m(30), m(39.9)));
    assertThat(burst.flapping()).isTrue();
  }

  @Test
  @DisplayName("Failures exactly 10 minutes apart are not in one burst; two are not flapping; none is count 0")
  void notFlapping() {
    Burst spaced = FailurePatterns.worstBurst(List.of(failure(0, "a"), failure(10, "a"), failure(20, "a")));
    assertThat(spaced.count()).isEqualTo(1);
    assertThat(FailurePatterns.worstBurst(List.of(failure(0, "a"), failure(1, "a"))).flapping()).isFalse();
    assertThat(FailurePatterns.worstBurst(List.of())).isEqualTo(new Burst(0, null, null));
  }

  @Test
  @DisplayName("A failure within 10 minutes of a start reported successful is an early crash, once per start")
  void earlyCrashes() {
    List<EarlyCrash> crashes = FailurePatterns.earlyCrashes(List.of(m(0), m(60), m(100), m(103)),
        List.of(failure(-5, "x"), failure(2, "exit-code:1"), failure(5, "exit-code:1"), failure(75, "late"),
            failure(106, "oom-kill")));
    assertThat(crashes).containsExactly(
        new EarlyCrash(m(0), m(2), "exit-code:1"),
        new EarlyCrash(m(103), m(106), "oom-kill"));
    assertThat(crashes.get(0).after()).isEqualTo(Duration.ofMinutes(2));
    assertThat(FailurePatterns.earlyCrashes(List.of(), List.of(failure(1, "x")))).isEmpty();
    assertThat(FailurePatterns.earlyCrashes(List.of(m(0)), List.of())).isEmpty();
  }

  @Test
  @DisplayName("Operation figures: success rate and nearest-rank p50/p95 of the durations")
  void operationFigures() {
    List<Done> done = IntStream.rangeClosed(1, 20).mapToObj(n -> new Done(n % 4 != 0, n * 100L)).toList();
    assertThat(OperationFigures.of(done)).isEqualTo(new OperationFigures(20, 15, 0.75, 1000L, 1900L));
    assertThat(OperationFigures.of(List.of(new Done(false, 7)))).isEqualTo(new OperationFigures(1, 0, 0.0, 7L, 7L));
    assertThat(OperationFigures.of(List.of())).isEqualTo(new OperationFigures(0, 0, null, null, null));
  }
}
