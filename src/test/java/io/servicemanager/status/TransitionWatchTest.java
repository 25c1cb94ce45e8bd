package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.Transition;
import io.servicemanager.insight.Transition.Cause;
import io.servicemanager.systemd.UnitPaths;
import io.servicemanager.systemd.UnitSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TransitionWatchTest {
  private static final ServiceDefinition GAME = new ServiceDefinition("game", "game.service", "Game", "Game",
      Permission.RESTART, true);
  private static final ServiceDefinition ALIAS = new ServiceDefinition("alias", "game.service", "Alias", "Alias",
      Permission.RESTART, true);
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  private final TrackedUnit game = new TrackedUnit("game.service", UnitPaths.of("game.service"), List.of(GAME, ALIAS));
  private final TransitionWatch watch = new TransitionWatch();
  private long seq;

  private List<Transition> signal(Instant at, Object... keyValues) {
    Map<String, Object> changed = new HashMap<>(Map.of(UnitSnapshot.LOAD_STATE, "loaded"));
    for (int i = 0; i < keyValues.length; i += 2) {
      changed.put((String) keyValues[i], keyValues[i + 1]);
    }
    game.signalled(changed, ++seq, at);
    return watch.observe(game, at).stream().map(TransitionWatch.Observed::transition).toList();
  }

  private static Object[] state(String active, String sub) {
    return new Object[] {UnitSnapshot.ACTIVE_STATE, active, UnitSnapshot.SUB_STATE, sub};
  }

  @Test
  @DisplayName("The first sight of a unit is a transition from unknown, and a unit found failed then is no new failure")
  void firstSight() {
    List<Transition> first = signal(T0, state("failed", "failed"));
    assertThat(first).extracting(Transition::service).containsExactly("game", "alias");
    assertThat(first.get(0).from()).isNull();
    assertThat(first.get(0).isFailure()).isFalse();
    assertThat(signal(T0.plusSeconds(1), UnitSnapshot.MAIN_PID, 7L)).as("nothing that counts changed").isEmpty();
  }

  @Test
  @DisplayName("A crash is external with systemd's reason; every step of Restart='s way back up is systemd's")
  void restartIsSystemds() {
    signal(T0, state("active", "running"));
    Transition crash = signal(T0.plusSeconds(1), UnitSnapshot.ACTIVE_STATE, "activating", UnitSnapshot.SUB_STATE,
        "auto-restart", UnitSnapshot.RESULT, "exit-code", UnitSnapshot.EXEC_MAIN_CODE, 1L,
        UnitSnapshot.EXEC_MAIN_STATUS, 2L).get(0);
    assertThat(crash.isFailure()).isTrue();
    assertThat(crash.cause()).isEqualTo(Cause.EXTERNAL);
    assertThat(crash.message()).isEqualTo("exited with status 2");
    Transition dead = signal(T0.plusSeconds(2), state("inactive", "dead")).get(0);
    assertThat(dead.cause()).isEqualTo(Cause.SYSTEMD);
    Transition up = signal(T0.plusSeconds(3), state("active", "running")).get(0);
    assertThat(up.cause()).isEqualTo(Cause.SYSTEMD);
    Transition later = signal(T0.plusSeconds(9), state("inactive", "dead")).get(0);
    assertThat(later.cause()).as("once up, the restart is over").isEqualTo(Cause.EXTERNAL);
  }

  @Test
  @DisplayName("A crash shown as failed and then as waiting to restart is one failure, not two")
  void failedThenWaiting() {
    signal(T0, state("active", "running"));
    Transition failed = signal(T0.plusSeconds(1), UnitSnapshot.ACTIVE_STATE, "failed", UnitSnapshot.SUB_STATE, "failed",
        UnitSnapshot.RESULT, "exit-code", UnitSnapshot.EXEC_MAIN_CODE, 1L, UnitSnapshot.EXEC_MAIN_STATUS, 2L).get(0);
    assertThat(failed.isFailure()).isTrue();
    Transition waiting = signal(T0.plusSeconds(1), state("activating", "auto-restart")).get(0);
    assertThat(waiting.isFailure()).isFalse();
    assertThat(waiting.reason()).isNull();
  }

  @Test
  @DisplayName("Straight from Restart='s wait into failed is the start limit, decided by systemd")
  void startLimit() {
    signal(T0, state("active", "running"));
    signal(T0.plusSeconds(1), UnitSnapshot.ACTIVE_STATE, "activating", UnitSnapshot.SUB_STATE, "auto-restart",
        UnitSnapshot.RESULT, "exit-code", UnitSnapshot.EXEC_MAIN_CODE, 1L, UnitSnapshot.EXEC_MAIN_STATUS, 1L);
    Transition hit = signal(T0.plusSeconds(2), state("failed", "failed")).get(0);
    assertThat(hit.reason()).isEqualTo("start-limit-hit");
    assertThat(hit.message()).isEqualTo("restarted too often (start limit)");
    assertThat(hit.cause()).isEqualTo(Cause.SYSTEMD);
  }

  @Test
  @DisplayName("The start limit is recognised also when systemd shows the unit dead on its way from the wait to failed")
  void startLimitThroughDead() {
    signal(T0, state("active", "running"));
    signal(T0.plusSeconds(1), UnitSnapshot.ACTIVE_STATE, "activating", UnitSnapshot.SUB_STATE, "auto-restart",
        UnitSnapshot.RESULT, "exit-code", UnitSnapshot.EXEC_MAIN_CODE, 1L, UnitSnapshot.EXEC_MAIN_STATUS, 1L);
    assertThat(signal(T0.plusSeconds(2), state("inactive", "dead")).get(0).cause()).isEqualTo(Cause.SYSTEMD);
    Transition hit = signal(T0.plusSeconds(3), state("failed", "failed")).get(0);
    assertThat(hit.reason()).isEqualTo("start-limit-hit");
    assertThat(hit.cause()).isEqualTo(Cause.SYSTEMD);
  }

  @Test
  @DisplayName("A restart that started and then failed is that failure, not the start limit")
  void restartThatFailedAgain() {
    signal(T0, state("active", "running"));
    signal(T0.plusSeconds(1), UnitSnapshot.ACTIVE_STATE, "activating", UnitSnapshot.SUB_STATE, "auto-restart",
        UnitSnapshot.RESULT, "exit-code", UnitSnapshot.EXEC_MAIN_CODE, 1L, UnitSnapshot.EXEC_MAIN_STATUS, 1L);
    signal(T0.plusSeconds(2), state("inactive", "dead"));
    signal(T0.plusSeconds(3), state("activating", "start"));
    Transition failed = signal(T0.plusSeconds(4), UnitSnapshot.ACTIVE_STATE, "failed", UnitSnapshot.SUB_STATE, "failed",
        UnitSnapshot.RESULT, "timeout").get(0);
    assertThat(failed.reason()).isEqualTo("timeout");
  }

  @Test
  @DisplayName("A timeout while stopping a unit that was starting is a start timeout")
  void startTimeout() {
    signal(T0, state("inactive", "dead"));
    signal(T0.plusSeconds(1), state("activating", "start"));
    signal(T0.plusSeconds(2), UnitSnapshot.ACTIVE_STATE, "deactivating", UnitSnapshot.SUB_STATE, "stop-sigterm",
        UnitSnapshot.RESULT, "timeout");
    Transition failed = signal(T0.plusSeconds(3), state("failed", "failed")).get(0);
    assertThat(failed.message()).isEqualTo("did not start in time");
  }

  @Test
  @DisplayName("A change while an operation runs, or just after it ended, is that operation's and names its user")
  void operation() {
    signal(T0, state("inactive", "dead"));
    watch.begun("game.service", "game", "start", "alice", T0.plusSeconds(1));
    Transition started = signal(T0.plusSeconds(2), state("active", "running")).get(0);
    assertThat(started.cause()).isEqualTo(Cause.OPERATION);
    assertThat(started.causeUser()).isEqualTo("alice");
    watch.ended("game.service", "game", "start", "alice", "done", T0.plusSeconds(3));
    List<TransitionWatch.Observed> crash = observeAt(T0.plusSeconds(20), state("failed", "failed"));
    assertThat(crash.get(0).transition().cause()).as("long after it ended").isEqualTo(Cause.EXTERNAL);
    assertThat(crash.get(0).failedAfter()).as("a failure within a minute of a reported start is followed up")
        .isNotNull();
    assertThat(crash.get(0).failedAfter().user()).isEqualTo("alice");
  }

  @Test
  @DisplayName("A failure more than a minute after a reported start is not followed up")
  void noFollowUpLater() {
    signal(T0, state("active", "running"));
    watch.ended("game.service", "game", "start", "alice", "done", T0);
    assertThat(observeAt(T0.plus(TransitionWatch.FOLLOW_UP).plusSeconds(1), state("failed", "failed")).get(0)
        .failedAfter()).isNull();
  }

  private List<TransitionWatch.Observed> observeAt(Instant at, Object... keyValues) {
    Map<String, Object> changed = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      changed.put((String) keyValues[i], keyValues[i + 1]);
    }
    game.signalled(changed, ++seq, at);
    return watch.observe(game, at);
  }
}
