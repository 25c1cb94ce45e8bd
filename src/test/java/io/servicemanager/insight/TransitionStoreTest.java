package io.servicemanager.insight;

import static io.servicemanager.insight.UptimeTest.MIN;
import static io.servicemanager.insight.UptimeTest.crash;
import static io.servicemanager.insight.UptimeTest.go;
import static io.servicemanager.insight.UptimeTest.m;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.insight.Gap.Kind;
import io.servicemanager.insight.Transition.Cause;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransitionStoreTest {
  @TempDir
  Path dir;
  InsightStore store;
  TransitionStore transitions;
  OperationStore operations;

  @BeforeEach
  void open(Vertx vertx) {
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await();
    transitions = new TransitionStore(store);
    operations = new OperationStore(store);
  }

  @AfterEach
  void close() {
    store.close().await();
  }

  static Transition full() {
    return new Transition(m(3), "pz", "pzserver.service", "active", "activating", "auto-restart", "core-dump", "dumped",
        null, 11, 4L, 4242L, Cause.OPERATION, "alice", "core-dump:SEGV", "dumped core on signal 11 (SEGV)");
  }

  @Test
  @DisplayName("A batch of transitions comes back field for field, nulls included, oldest first")
  void roundTrip() {
    Transition bare = go(1, null, "active");
    transitions.append(List.of(bare, full(), go(70, "activating", "active"))).await();
    assertThat(transitions.timeline("pz", m(0), m(60)).await()).containsExactly(bare, full());
    assertThat(full().toJson().getString("cause")).isEqualTo("operation");
    assertThat(full().toJson().fieldNames()).containsExactly("at", "service", "unit", "from", "to", "sub_state", "result",
        "exit_code", "exit_status", "signal", "n_restarts", "main_pid", "cause", "cause_user", "reason", "message");
  }

  @Test
  @DisplayName("Statistics read the state the window starts in, the gaps, the failures and the operations")
  void statistics() {
    transitions.append(List.of(go(-120, null, "active"), crash(10, "active", 1), go(11, "failed", "active", Cause.OPERATION),
        crash(13, "active", 1), go(14, "failed", "active", Cause.SYSTEMD), crash(15, "active", 1),
        go(30, "failed", "active", Cause.SYSTEMD), go(50, null, "active"))).await();
    transitions.append(List.of(go(20, "active", "failed").failedWith(FailureReason.of("oom-kill").orElseThrow())
        .withService("other"))).await();
    transitions.recordGap(new Gap(m(40), null, Kind.STOPPED)).await();
    assertThat(transitions.closeOpenGaps(m(45)).await()).isEqualTo(1);
    operations.append(OperationStoreTest.record("pz", "alice", 1200, m(11))).await();
    operations.append(OperationStoreTest.record("pz", "alice", 800, m(70))).await(); // after the window

    ServiceStatistics s = transitions.statistics("pz", m(0), m(60)).await();
    Uptime.Figures u = s.uptime();
    assertThat(u.failures()).hasSize(3);
    assertThat(u.downMs()).isEqualTo((1 + 1 + 15) * MIN);
    assertThat(u.upMs()).isEqualTo((10 + 2 + 1 + 10 + 10) * MIN);
    assertThat(u.observedShare()).isCloseTo(50.0 / 60, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(u.restarts()).containsEntry(Cause.OPERATION, 1).containsEntry(Cause.SYSTEMD, 2);
    assertThat(s.patterns()).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo("exit-code:1");
      assertThat(p.words()).isEqualTo("exited with status 1");
      assertThat(p.count()).isEqualTo(3);
      assertThat(p.first()).isEqualTo(m(10));
      assertThat(p.last()).isEqualTo(m(15));
    });
    assertThat(s.worstBurst().count()).isEqualTo(3);
    assertThat(s.worstBurst().flapping()).isTrue();
    assertThat(s.earlyCrashes()).singleElement()
        .satisfies(c -> assertThat(c.after()).isEqualTo(Duration.ofMinutes(2)));
    assertThat(s.operations().count()).isEqualTo(1);
    assertThat(s.operations().p50Ms()).isEqualTo(1200);
  }

  @Test
  @DisplayName("A service without transitions has empty statistics")
  void empty() {
    ServiceStatistics s = transitions.statistics("nobody", m(0), m(60)).await();
    assertThat(s.uptime().observedMs()).isZero();
    assertThat(s.uptime().uptimePercent()).isNull();
    assertThat(s.patterns()).isEmpty();
    assertThat(s.operations().successRate()).isNull();
  }

  @Test
  @DisplayName("The statistics read the window from the (service, at, id) index alone and the failures' reasons and"
      + " words from an index of their own: no scan of the table, no sort of the window, no table row at all")
  void usesIndex() {
    List<String> plan = store.read(c -> {
      List<String> details = new ArrayList<>();
      for (String sql : List.of(
          "SELECT " + TransitionRows.PACKED + " FROM transitions" + TransitionStore.WINDOW + " ORDER BY at, id",
          "SELECT " + TransitionRows.FAILURE_REASONS + " FROM transitions" + TransitionStore.WINDOW
              + " AND failure = 1 ORDER BY at, id",
          "SELECT reason, message, max(at) FROM transitions" + TransitionStore.WINDOW + " AND failure = 1 GROUP BY reason",
          "SELECT * FROM transitions WHERE service = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1",
          "SELECT * FROM operations" + TransitionStore.WINDOW + " ORDER BY at, id")) {
        try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
          for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
            s.setObject(i, i == 1 ? "pz" : 0L);
          }
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              details.add(rs.getString("detail"));
            }
          }
        }
      }
      return details;
    }).await();
    // No "SCAN" (a read of the whole table) and no "USE TEMP B-TREE FOR ... ORDER BY" (a sort of the window).
    assertThat(plan).containsExactly(
        // The window from its index alone, no table row at all.
        "SEARCH transitions USING COVERING INDEX transitions_service_at (service=? AND at>? AND at<?)",
        // The failures' reasons in the same order: ties of one millisecond sorted by id, nothing more.
        "SEARCH transitions USING COVERING INDEX transitions_failure_words (service=? AND at>? AND at<?)",
        "USE TEMP B-TREE FOR LAST TERM OF ORDER BY",
        "SEARCH transitions USING COVERING INDEX transitions_failure_words (service=? AND at>? AND at<?)",
        "USE TEMP B-TREE FOR GROUP BY", // over the failures only: one row per reason
        "SEARCH transitions USING INDEX transitions_service_at (service=? AND at<?)",
        "SEARCH operations USING INDEX operations_service_at (service=? AND at>? AND at<?)");
  }

  @Test
  @DisplayName("The store's statistics equal the same transitions fed to Uptime in memory: every state, unknown ones,"
      + " every cause, failures of several reasons, two of them in one millisecond")
  void storeEqualsMemory() {
    java.util.Random random = new java.util.Random(42);
    String[] states = {"active", "inactive", "failed", "activating", "deactivating", "reloading", "maintenance"};
    Cause[] causes = Cause.values();
    String[] reasons = {"exit-code", "signal", "oom-kill", "timeout", "start-limit-hit"};
    Instant t0 = Instant.parse("2026-10-01T00:00:00Z");
    List<Transition> mix = new ArrayList<>();
    String from = null;
    long at = 0;
    for (int k = 0; k < 3_000; k++) {
      at += k % 50 == 0 ? 0 : 1 + random.nextInt(60_000); // now and then two in one millisecond
      String to = states[random.nextInt(states.length)];
      Transition t = Transition.of(t0.plusMillis(at), "pz", from, to, causes[random.nextInt(causes.length)]);
      if (to.equals("failed")) {
        t = t.failedWith(FailureReason.of(reasons[random.nextInt(reasons.length)], FailureReason.CLD_EXITED, 1 + random.nextInt(3),
            "active", 90L).orElseThrow());
      }
      mix.add(t);
      from = k % 97 == 0 ? null : to;
    }
    transitions.append(mix).await();
    Instant windowFrom = t0.plusMillis(at / 4);
    Instant windowTo = t0.plusMillis(at * 3 / 4);

    Uptime memory = new Uptime(windowFrom, windowTo, List.of());
    Transition before = null;
    for (Transition t : mix) {
      if (t.at().isBefore(windowFrom)) {
        before = t;
      }
    }
    memory.accept(before);
    mix.stream().filter(t -> !t.at().isBefore(windowFrom) && t.at().isBefore(windowTo)).forEach(memory::accept);
    Uptime.Figures expected = memory.result();

    Uptime.Figures stored = transitions.statistics("pz", windowFrom, windowTo).await().uptime();
    assertThat(expected.failures()).hasSizeGreaterThan(50);
    assertThat(stored).isEqualTo(expected);
  }

  @Test
  @DisplayName("100 000 transitions over 30 days aggregate to the exact uptime, failures and MTTR")
  void hundredThousand() {
    Instant t0 = Instant.parse("2026-10-01T00:00:00Z");
    int cycles = 50_000; // up 24 s, then crashed for 6 s
    List<Transition> batch = new ArrayList<>();
    for (int k = 0; k < cycles; k++) {
      Instant up = t0.plusSeconds(30L * k);
      batch.add(Transition.of(up, "pz", k == 0 ? null : "failed", "active", Cause.SYSTEMD));
      batch.add(Transition.of(up.plusSeconds(24), "pz", "active", "failed", Cause.EXTERNAL)
          .failedWith(FailureReason.of("signal", FailureReason.CLD_KILLED, 9, "active", null).orElseThrow()));
      if (batch.size() == 10_000) {
        transitions.append(batch).await();
        batch.clear();
      }
    }
    transitions.append(List.of(Transition.of(t0.plusSeconds(100), "other", null, "active", Cause.SYSTEMD))).await();
    Instant to = t0.plus(Duration.ofDays(30));

    ServiceStatistics s = transitions.statistics("pz", t0, to).await();
    long lastFailure = 30L * (cycles - 1) + 24;
    assertThat(s.uptime().upMs()).isEqualTo(cycles * 24_000L);
    assertThat(s.uptime().downMs()).isEqualTo((cycles - 1) * 6_000L + (Duration.ofDays(30).toSeconds() - lastFailure) * 1000);
    assertThat(s.uptime().failures()).hasSize(cycles);
    assertThat(s.uptime().mttrMs()).isEqualTo(6_000);
    assertThat(s.uptime().mtbfMs()).isEqualTo(24_000);
    assertThat(s.uptime().restarts()).containsEntry(Cause.SYSTEMD, cycles - 1);
    assertThat(s.patterns()).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo("signal:KILL");
      assertThat(p.count()).isEqualTo(cycles);
    });
    assertThat(s.worstBurst().count()).isEqualTo(20); // one every 30 s: 20 in any 10 minutes
  }

  @Test
  @DisplayName("The transition JSON carries systemd's words and null for what is not known")
  void json() {
    JsonObject json = go(1, null, "active").toJson();
    assertThat(json.getValue("from")).isNull();
    assertThat(json.getString("to")).isEqualTo("active");
    assertThat(json.getString("at")).isEqualTo("2026-11-01T12:01:00.000Z");
  }
}
