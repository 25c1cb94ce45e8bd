package io.servicemanager.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.servicemanager.insight.Gap.Kind;
import io.servicemanager.insight.Transition.Cause;
import io.servicemanager.insight.Uptime.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Timelines in minutes around T (the window's start); the window is [T, T+60 min) unless said otherwise. */
class UptimeTest {
  static final Instant T = Instant.parse("2026-11-01T12:00:00Z");
  static final long MIN = 60_000;

  static Instant m(double minutes) {
    return T.plusMillis((long) (minutes * MIN));
  }

  static Transition go(double minutes, String from, String to, Cause cause) {
    return Transition.of(m(minutes), "pz", from, to, cause);
  }

  static Transition go(double minutes, String from, String to) {
    return go(minutes, from, to, Cause.EXTERNAL);
  }

  static Transition crash(double minutes, String from, int status) {
    return go(minutes, from, "failed").failedWith(FailureReason.of("exit-code", 1, status, from, null).orElseThrow());
  }

  static Gap gap(double start, Double end) {
    return new Gap(m(start), end == null ? null : m(end), Kind.STOPPED);
  }

  static Figures run(List<Gap> gaps, Transition... transitions) {
    return run(0, 60, gaps, transitions);
  }

  static Figures run(double from, double to, List<Gap> gaps, Transition... transitions) {
    Uptime uptime = new Uptime(m(from), m(to), gaps);
    for (Transition t : transitions) {
      uptime.accept(t);
    }
    return uptime.result();
  }

  @Test
  @DisplayName("No data: nothing observed, no uptime, no streak, no failures")
  void noData() {
    Figures f = run(List.of());
    assertThat(f.observedMs()).isZero();
    assertThat(f.uptimePercent()).isNull();
    assertThat(f.observedShare()).isZero();
    assertThat(f.failures()).isEmpty();
    assertThat(f.mtbfMs()).isNull();
    assertThat(f.mttrMs()).isNull();
    assertThat(f.streak()).isNull();
    assertThat(f.restarts()).containsValues(0, 0, 0);
  }

  @Test
  @DisplayName("A state entered before the window counts from the window's start; the streak keeps its real start")
  void stateSpansStart() {
    Figures f = run(List.of(), go(-30, null, "active"));
    assertThat(f.upMs()).isEqualTo(60 * MIN);
    assertThat(f.uptimePercent()).isEqualTo(100.0);
    assertThat(f.observedShare()).isEqualTo(1.0);
    assertThat(f.streak()).isEqualTo(new Uptime.Streak(true, m(-30), false));
  }

  @Test
  @DisplayName("Time before the first known state is not observed")
  void beforeFirstState() {
    Figures f = run(List.of(), go(15, null, "active"));
    assertThat(f.upMs()).isEqualTo(45 * MIN);
    assertThat(f.downMs()).isZero();
    assertThat(f.uptimePercent()).isEqualTo(100.0);
    assertThat(f.observedShare()).isEqualTo(0.75);
  }

  @Test
  @DisplayName("A crash and a restart by systemd: uptime, one failure, MTTR and MTBF")
  void crashAndRestart() {
    Figures f = run(List.of(), go(-1, null, "active"), crash(20, "active", 1),
        go(30, "failed", "active", Cause.SYSTEMD));
    assertThat(f.upMs()).isEqualTo(50 * MIN);
    assertThat(f.downMs()).isEqualTo(10 * MIN);
    assertThat(f.uptimePercent()).isCloseTo(83.333, within(0.001));
    assertThat(f.failures()).containsExactly(new Uptime.Failure(m(20), "exit-code:1"));
    assertThat(f.restarts()).containsEntry(Cause.SYSTEMD, 1).containsEntry(Cause.OPERATION, 0);
    assertThat(f.mttrMs()).isEqualTo(10 * MIN);
    assertThat(f.mtbfMs()).isEqualTo(50 * MIN);
    assertThat(f.streak()).isEqualTo(new Uptime.Streak(true, m(30), true));
  }

  @Test
  @DisplayName("A state that continues past the window's end counts only up to the end")
  void stateSpansEnd() {
    Figures f = run(List.of(), go(-5, null, "active"), crash(50, "active", 2));
    assertThat(f.upMs()).isEqualTo(50 * MIN);
    assertThat(f.downMs()).isEqualTo(10 * MIN);
    assertThat(f.mttrMs()).isNull(); // not repaired within the window
    assertThat(f.streak()).isEqualTo(new Uptime.Streak(false, m(50), true));
  }

  @Test
  @DisplayName("A window fully inside a gap observes nothing, whatever the state before")
  void windowInGap() {
    Figures f = run(List.of(gap(-10, 70.0)), go(-20, null, "active"));
    assertThat(f.observedMs()).isZero();
    assertThat(f.uptimePercent()).isNull();
    assertThat(f.streak()).isNull();
  }

  @Test
  @DisplayName("After a gap the state is unknown until the next transition, which starts an inexact streak")
  void afterGapUnknown() {
    Figures without = run(List.of(gap(10, 20.0)), go(-1, null, "active"));
    assertThat(without.upMs()).isEqualTo(10 * MIN);
    assertThat(without.observedShare()).isCloseTo(1.0 / 6, within(1e-9));
    assertThat(without.streak()).isNull();

    Figures with = run(List.of(gap(10, 20.0)), go(-1, null, "active"), go(25, null, "active"));
    assertThat(with.upMs()).isEqualTo(45 * MIN);
    assertThat(with.restarts()).containsValues(0, 0, 0); // not seen going down, so no restart
    assertThat(with.streak()).isEqualTo(new Uptime.Streak(true, m(25), false));
  }

  @Test
  @DisplayName("An open gap (Service Manager is still away) hides everything after its start")
  void openGap() {
    Figures f = run(List.of(gap(30, null)), go(-1, null, "active"), crash(40, "active", 1));
    assertThat(f.upMs()).isEqualTo(30 * MIN);
    assertThat(f.downMs()).isZero();
  }

  @Test
  @DisplayName("Overlapping and touching gaps count once")
  void overlappingGaps() {
    Figures f = run(List.of(gap(10, 20.0), gap(15, 30.0), gap(30, 35.0)),
        go(-1, null, "active"), go(36, null, "active"));
    assertThat(f.upMs()).isEqualTo((10 + 24) * MIN);
  }

  @Test
  @DisplayName("A gap during an outage drops that outage from MTTR but keeps its failure")
  void gapDuringOutage() {
    Figures f = run(List.of(gap(25, 35.0)), go(-1, null, "active"), crash(20, "active", 1),
        go(40, null, "active"), crash(45, "active", 1), go(47, "failed", "active", Cause.OPERATION));
    assertThat(f.failures()).hasSize(2);
    assertThat(f.mttrMs()).isEqualTo(2 * MIN);
    assertThat(f.downMs()).isEqualTo((5 + 2) * MIN);
    assertThat(f.upMs()).isEqualTo((20 + 5 + 13) * MIN);
  }

  @Test
  @DisplayName("A transition at the window's start belongs to it; one at its end or later does not")
  void boundaries() {
    Figures f = run(List.of(), go(-10, null, "active"), crash(0, "active", 1), go(10, "failed", "active"),
        crash(60, "active", 3), crash(70, "active", 4));
    assertThat(f.failures()).extracting(Uptime.Failure::at).containsExactly(m(0));
    assertThat(f.downMs()).isEqualTo(10 * MIN);
    assertThat(f.upMs()).isEqualTo(50 * MIN);
  }

  @Test
  @DisplayName("Restarts are split by cause: operation, systemd, external")
  void restartsByCause() {
    Figures f = run(List.of(), go(-1, null, "active"),
        go(5, "active", "inactive", Cause.OPERATION), go(6, "inactive", "active", Cause.OPERATION),
        crash(10, "active", 1), go(11, "failed", "active", Cause.SYSTEMD),
        go(20, "active", "inactive", Cause.EXTERNAL), go(21, "inactive", "activating", Cause.EXTERNAL),
        go(22, "activating", "active", Cause.EXTERNAL),
        go(30, "active", "reloading", Cause.OPERATION), go(31, "reloading", "active", Cause.OPERATION));
    assertThat(f.restarts()).containsEntry(Cause.OPERATION, 1).containsEntry(Cause.SYSTEMD, 1)
        .containsEntry(Cause.EXTERNAL, 1);
    assertThat(f.failures()).hasSize(1);
    assertThat(f.downMs()).isEqualTo((1 + 1 + 2) * MIN);
    assertThat(f.streak().since()).isEqualTo(m(22)); // reloading is up: the streak goes on
  }

  @Test
  @DisplayName("A restart systemd schedules after a crash (auto-restart) is a failure; after a clean exit it is not")
  void autoRestart() {
    Transition crashed = new Transition(m(10), "pz", "pz.service", "active", "activating", "auto-restart", "exit-code",
        "exited", 1L, null, 1L, null, Cause.SYSTEMD, null, null, null);
    Transition clean = new Transition(m(30), "pz", "pz.service", "active", "activating", "auto-restart", "success",
        "exited", 0L, null, 2L, null, Cause.SYSTEMD, null, null, null);
    Figures f = run(List.of(), go(-1, null, "active"), crashed, go(11, "activating", "active", Cause.SYSTEMD),
        clean, go(31, "activating", "active", Cause.SYSTEMD));
    assertThat(f.failures()).containsExactly(new Uptime.Failure(m(10), "exit-code"));
    assertThat(f.restarts()).containsEntry(Cause.SYSTEMD, 2);
    assertThat(f.mttrMs()).isEqualTo(MIN);
  }

  @Test
  @DisplayName("States the bus cannot tell (error, unreachable) count as not observed")
  void errorIsUnknown() {
    Figures f = run(List.of(), go(-1, null, "active"), go(20, "active", "error"), go(30, "error", "active"));
    assertThat(f.upMs()).isEqualTo(50 * MIN);
    assertThat(f.downMs()).isZero();
    assertThat(f.restarts()).containsValues(0, 0, 0);
    assertThat(f.streak()).isEqualTo(new Uptime.Streak(true, m(30), false));
  }

  @Test
  @DisplayName("Staying failed is one failure, not two")
  void failedStaysFailed() {
    Figures f = run(List.of(), go(-1, null, "active"), crash(10, "active", 1), go(20, "failed", "failed"));
    assertThat(f.failures()).hasSize(1);
  }

  @Test
  @DisplayName("Transitions out of order are refused; a backwards window too")
  void order() {
    Uptime uptime = new Uptime(m(0), m(60), List.of());
    uptime.accept(go(10, null, "active"));
    assertThatThrownBy(() -> uptime.accept(go(5, null, "failed"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Uptime(m(10), m(0), List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("An empty window observes nothing and divides by nothing")
  void emptyWindow() {
    Figures f = run(10, 10, List.of(), go(-1, null, "active"));
    assertThat(f.observedShare()).isZero();
    assertThat(f.uptimePercent()).isNull();
    assertThat(Duration.ofMillis(f.windowMs())).isZero();
  }
}
