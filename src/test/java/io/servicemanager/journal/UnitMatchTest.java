package io.servicemanager.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.systemd.UnitCgroup.MainProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which journal entries are a unit's. Real journals: JournalIT. */
@DisplayName("A unit's journal entries")
class UnitMatchTest {
  static final long STARTED = 1_000_000_000L;
  static final long EXITED = STARTED + 500_000L;
  static final UnitMatch RUNNING = new UnitMatch("/app.slice/x.service", new MainProcess(42, STARTED, 0));
  static final UnitMatch ENDED = new UnitMatch("/app.slice/x.service", new MainProcess(42, STARTED, EXITED));

  static JsonObject entry(String group, long pid, long at) {
    JsonObject raw = new JsonObject().put("__CURSOR", "s=1").put("_PID", Long.toString(pid))
        .put("__REALTIME_TIMESTAMP", Long.toString(at));
    return group == null ? raw : raw.put("_SYSTEMD_CGROUP", group);
  }

  @Test
  @DisplayName("are those journald gave its control group, whatever their pid and time")
  void byGroup() {
    assertThat(ENDED.accepts(entry("/app.slice/x.service", 1, 5))).isTrue();
    assertThat(ENDED.accepts(entry("/app.slice/y.service", 42, STARTED + 1))).as("its main pid in another group")
        .isFalse();
  }

  @Test
  @DisplayName("and the group-less ones of its newest main process, from its start until 30 s after its exit")
  void byMainProcess() {
    assertThat(RUNNING.accepts(entry(null, 42, STARTED))).isTrue();
    assertThat(RUNNING.accepts(entry(null, 42, STARTED + 3_600_000_000L))).as("still running").isTrue();
    assertThat(ENDED.accepts(entry(null, 42, EXITED + UnitMatch.LATE_MICROS))).as("handled late").isTrue();

    assertThat(ENDED.accepts(entry(null, 42, STARTED - 1))).as("before the process started").isFalse();
    assertThat(ENDED.accepts(entry(null, 42, EXITED + UnitMatch.LATE_MICROS + 1))).as("the pid reused later")
        .isFalse();
    assertThat(ENDED.accepts(entry(null, 43, STARTED + 1))).as("another pid").isFalse();
    assertThat(ENDED.accepts(new JsonObject().put("__CURSOR", "s=1"))).as("no pid, no time").isFalse();
  }

  @Test
  @DisplayName("an exit from an earlier run does not end the newest process's window")
  void earlierExit() {
    UnitMatch restarted = new UnitMatch("/g", new MainProcess(42, STARTED, STARTED - 10));
    assertThat(restarted.accepts(entry(null, 42, STARTED + 3_600_000_000L))).isTrue();
  }

  @Test
  @DisplayName("a unit that never ran matches by its group alone")
  void neverRan() {
    UnitMatch never = new UnitMatch("/g", MainProcess.NONE);
    assertThat(never.terms()).containsExactly("_SYSTEMD_CGROUP=/g");
    assertThat(never.accepts(entry(null, 0, 5))).isFalse();
  }
}
