package io.servicemanager.insight;

import static io.servicemanager.insight.UptimeTest.go;
import static io.servicemanager.insight.UptimeTest.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
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
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransitionRecorderTest {
  @TempDir
  Path dir;
  InsightStore store;
  TransitionStore transitions;

  @BeforeEach
  void open(Vertx vertx) {
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await();
    transitions = new TransitionStore(store);
  }

  @AfterEach
  void close() {
    store.close().await();
  }

  private List<Transition> all() {
    return transitions.timeline("pz", m(-1000), m(1000)).await();
  }

  @Test
  @DisplayName("A recorded transition reaches the database by the timer, without a flush")
  void timer(Vertx vertx) {
    TransitionRecorder recorder = new TransitionRecorder(vertx, transitions, Duration.ofMillis(50), 100);
    recorder.record(go(1, null, "active")).await();
    assertThat(all()).containsExactly(go(1, null, "active"));
  }

  @Test
  @DisplayName("A full batch is written at once, in the order recorded")
  void fullBatch(Vertx vertx) {
    TransitionRecorder recorder = new TransitionRecorder(vertx, transitions, Duration.ofHours(1), 3);
    List<Future<Void>> written = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      written.add(recorder.record(go(n, null, "active")));
    }
    Future.all(written).await();
    assertThat(all()).containsExactly(go(0, null, "active"), go(1, null, "active"), go(2, null, "active"));
  }

  @Test
  @DisplayName("Recording only buffers; closing writes what is buffered and refuses more")
  void close(Vertx vertx) {
    TransitionRecorder recorder = new TransitionRecorder(vertx, transitions, Duration.ofHours(1), 100);
    recorder.record(go(1, null, "active"));
    recorder.record(go(2, "active", "failed"));
    assertThat(all()).isEmpty();
    recorder.close().await();
    assertThat(all()).hasSize(2);
    assertThatThrownBy(() -> recorder.record(go(3, null, "active")).await()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("A failed batch fails its transitions' futures, and later batches are still written")
  void failedBatch(Vertx vertx) {
    TransitionRecorder recorder = new TransitionRecorder(vertx, transitions, Duration.ofHours(1), 100);
    store.write(c -> {
      try (var s = c.createStatement()) {
        s.execute("CREATE TRIGGER refuse BEFORE INSERT ON transitions WHEN NEW.to_state = 'refused'"
            + " BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
      }
      return null;
    }).await();
    Future<Void> refused = recorder.record(go(1, null, "refused"));
    assertThatThrownBy(() -> recorder.flush().await()).hasMessageContaining("refused by test");
    assertThat(refused.failed()).isTrue();
    recorder.record(go(2, null, "active"));
    recorder.flush().await();
    assertThat(all()).containsExactly(go(2, null, "active"));
  }
}
