package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The matching and state bookkeeping of one job in flight; proven end to end in {@link RunJobIT}. */
class JobWatchTest {
  private static final String UNIT = "u.service";
  private static final String PATH = UnitPaths.of(UNIT);
  private final JobWatch watch = new JobWatch(UNIT);

  @Test
  @DisplayName("A JobRemoved that comes before the call's reply is kept, and matched once the reply names the job")
  void earlyResultIsKept() {
    watch.jobRemoved("/job/7", UNIT, "done");
    Future<String> removed = watch.queued("/job/7");
    assertThat(removed.result()).isEqualTo("done");
  }

  @Test
  @DisplayName("Another job's JobRemoved, or another unit's, does not end ours")
  void otherJobsAreNotOurs() {
    watch.jobRemoved("/job/6", UNIT, "canceled");
    Future<String> removed = watch.queued("/job/7");
    watch.jobRemoved("/job/8", UNIT, "failed");
    watch.jobRemoved("/job/7", "other.service", "failed");
    assertThat(removed.isComplete()).isFalse();
    watch.jobRemoved("/job/7", UNIT, "done");
    assertThat(removed.result()).isEqualTo("done");
  }

  @Test
  @DisplayName("Changes signalled after the read was sent are laid over its answer; those after JobRemoved, or of other units, are not")
  void overlayIsWhatChangedUntilTheJobEnded() {
    Future<String> removed = watch.queued("/job/7");
    watch.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "activating"));
    assertThat(watch.overlay()).as("nothing read yet").isEmpty();
    watch.readSent();
    watch.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "active", UnitSnapshot.MAIN_PID, 42L));
    watch.changed(UnitPaths.of("other.service"), Map.of(UnitSnapshot.ACTIVE_STATE, "failed"));
    watch.jobRemoved("/job/7", UNIT, "done");
    watch.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "deactivating"));
    assertThat(removed.result()).isEqualTo("done");
    assertThat(watch.overlay()).contains(Map.of(UnitSnapshot.ACTIVE_STATE, "active", UnitSnapshot.MAIN_PID, 42L));
  }

  @Test
  @DisplayName("A unit loaded anew (UnitNew) while the job runs: the read no longer describes it and the unit is read again")
  void unitNewMakesTheReadStale() {
    watch.queued("/job/7");
    watch.readSent();
    watch.loadedAnew(UnitPaths.of("other.service"));
    assertThat(watch.overlay()).isPresent();
    watch.loadedAnew(PATH);
    assertThat(watch.overlay()).isEmpty();
  }

  @Test
  @DisplayName("A daemon-reload while the job runs makes the read stale too")
  void reloadMakesTheReadStale() {
    watch.queued("/job/7");
    watch.readSent();
    watch.loadedAnew(null);
    assertThat(watch.overlay()).isEmpty();
  }

  @Test
  @DisplayName("A settle wait ends as soon as the service stops running, not on other changes")
  void settleEndsWhenTheServiceStops() {
    Future<Void> settled = watch.settle(Promise.promise());
    watch.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "active"));
    watch.changed(PATH, Map.of(UnitSnapshot.MAIN_PID, 7L));
    assertThat(settled.isComplete()).isFalse();
    watch.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "failed"));
    assertThat(settled.succeeded()).isTrue();
  }

  @Test
  @DisplayName("A lost connection fails the job still waiting for its JobRemoved and ends a settle wait")
  void lostConnection() {
    Future<String> removed = watch.queued("/job/7");
    Future<Void> settled = watch.settle(Promise.promise());
    watch.lost();
    assertThat(removed.failed()).isTrue();
    assertThat(removed.cause()).hasMessageContaining("connection lost");
    assertThat(settled.succeeded()).isTrue();
  }
}
