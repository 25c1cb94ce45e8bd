package io.servicemanager.insight;

import static io.servicemanager.insight.OperationStoreTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.insight.Gap.Kind;
import io.servicemanager.insight.Retention.Removed;
import io.servicemanager.insight.Transition.Cause;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetentionAndExportTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir
  Path dir;
  InsightStore store;
  OperationStore operations;
  TransitionStore transitions;

  @BeforeEach
  void open(Vertx vertx) {
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await();
    operations = new OperationStore(store);
    transitions = new TransitionStore(store);
  }

  @AfterEach
  void close() {
    store.close().await();
  }

  static Instant daysAgo(double days) {
    return NOW.minusMillis((long) (days * 86_400_000));
  }

  @Test
  @DisplayName("Retention deletes rows older than retention_days, keeping each service's last transition before the cutoff")
  void retention() {
    operations.append(record("pz", "alice", 1, daysAgo(100))).await();
    operations.append(record("pz", "alice", 2, daysAgo(10))).await();
    transitions.append(List.of(
        Transition.of(daysAgo(120), "pz", null, "active", Cause.SYSTEMD),
        Transition.of(daysAgo(95), "pz", "active", "failed", Cause.EXTERNAL),
        Transition.of(daysAgo(91), "pz", "failed", "active", Cause.OPERATION),
        Transition.of(daysAgo(5), "pz", "active", "inactive", Cause.OPERATION),
        Transition.of(daysAgo(200), "old", null, "active", Cause.SYSTEMD))).await();
    transitions.recordGap(new Gap(daysAgo(99), daysAgo(98), Kind.STOPPED)).await();
    transitions.recordGap(new Gap(daysAgo(91), daysAgo(89), Kind.BUS_LOST)).await();

    assertThat(Retention.apply(store, Retention.DEFAULT_DAYS, NOW).await()).isEqualTo(new Removed(1, 2, 1));
    assertThat(operations.query(OperationQuery.newest(10)).await().entries()).hasSize(1);
    assertThat(transitions.timeline("pz", daysAgo(1000), NOW).await())
        .extracting(Transition::at).containsExactly(daysAgo(91), daysAgo(5));
    assertThat(transitions.timeline("old", daysAgo(1000), NOW).await()).hasSize(1);
    // The state at the cutoff is still known: the window starts up.
    ServiceStatistics s = transitions.statistics("pz", daysAgo(90), daysAgo(80)).await();
    assertThat(s.uptime().streak().up()).isTrue();
    assertThat(Retention.apply(store, Retention.DEFAULT_DAYS, NOW).await()).isEqualTo(new Removed(0, 0, 0));
  }

  @Test
  @DisplayName("A retention of less than a day is refused")
  void badRetention() {
    assertThatThrownBy(() -> Retention.apply(store, 0, NOW).await()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention_days");
  }

  @Test
  @DisplayName("Export writes one service's operations and transitions since a moment as JSON Lines, oldest first")
  void export() throws Exception {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    operations.append(record("pz", "alice", 1, t.plusSeconds(10))).await();
    operations.append(record("pz", "alice", 2, t.minusSeconds(10))).await(); // before since
    operations.append(record("mc", "alice", 3, t.plusSeconds(20))).await(); // another service
    transitions.append(List.of(Transition.of(t.plusSeconds(5), "pz", "inactive", "active", Cause.OPERATION),
        Transition.of(t.plusSeconds(15), "pz", "active", "failed", Cause.EXTERNAL),
        Transition.of(t.plusSeconds(15), "mc", "active", "failed", Cause.EXTERNAL))).await();
    Path out = dir.resolve("pz.jsonl");
    assertThat(InsightExport.export(store, "pz", t, out).await()).isEqualTo(3);
    List<JsonObject> lines = Files.readAllLines(out).stream().map(JsonObject::new).toList();
    assertThat(lines).extracting(l -> l.getString("type") + "@" + l.getString("at")).containsExactly(
        "transition@2026-11-01T00:00:05.000Z", "operation@2026-11-01T00:00:10.000Z", "transition@2026-11-01T00:00:15.000Z");
    JsonObject op = lines.get(1).copy();
    op.remove("type");
    assertThat(op).isEqualTo(record("pz", "alice", 1, t.plusSeconds(10)));
    assertThat(lines.get(0).fieldNames().iterator().next()).isEqualTo("type");
    assertThat(dir.resolve("pz.jsonl.partial")).doesNotExist();
  }

  @Test
  @DisplayName("Export of a service without records writes an empty file")
  void emptyExport() throws Exception {
    Path out = dir.resolve("none.jsonl");
    assertThat(InsightExport.export(store, "none", NOW.minus(Duration.ofDays(1)), out).await()).isZero();
    assertThat(out).exists().isEmptyFile();
  }
}
