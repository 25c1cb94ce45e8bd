package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.systemd.UnitSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the action verticle may believe about a unit without asking systemd again. */
class UnitMemoryTest {
  private static final String PATH = "/org/freedesktop/systemd1/unit/a_2eservice";
  private final UnitMemory memory = new UnitMemory();

  private static UnitSnapshot read(String active, String result) {
    return new UnitSnapshot("a.service", PATH, Map.of(UnitSnapshot.ACTIVE_STATE, active,
        UnitSnapshot.RESULT, result, UnitSnapshot.TYPE, "oneshot"));
  }

  @Test
  @DisplayName("Nothing is known of a unit until it has been read")
  void unknownUntilRead() {
    memory.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "active"));
    assertThat(memory.known(PATH)).isEmpty();
  }

  @Test
  @DisplayName("A read is remembered and kept current by later signals")
  void readThenSignals() {
    memory.readSent(PATH);
    memory.readAnswered(PATH, read("active", "success"));
    memory.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "failed", UnitSnapshot.RESULT, "exit-code"));
    UnitSnapshot now = memory.known(PATH).orElseThrow();
    assertThat(now.activeState()).isEqualTo("failed");
    assertThat(now.result()).isEqualTo("exit-code");
    assertThat(now.type()).as("a property never signalled stays as read").isEqualTo("oneshot");
  }

  @Test
  @DisplayName("Signals that arrive while a read is under way are laid over its answer")
  void signalsDuringRead() {
    memory.readSent(PATH);
    memory.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "deactivating"));
    memory.changed(PATH, Map.of(UnitSnapshot.ACTIVE_STATE, "active"));
    assertThat(memory.changesSinceRead(PATH)).containsEntry(UnitSnapshot.ACTIVE_STATE, "active");
    UnitSnapshot answer = memory.readAnswered(PATH, read("deactivating", "success"));
    assertThat(answer.activeState()).isEqualTo("active");
    assertThat(memory.known(PATH).orElseThrow().activeState()).isEqualTo("active");
  }

  @Test
  @DisplayName("A unit loaded anew is forgotten, and a read overtaken by that is not remembered")
  void loadedAnew() {
    memory.readSent(PATH);
    memory.readAnswered(PATH, read("active", "success"));
    memory.loadedAnew(PATH);
    assertThat(memory.known(PATH)).isEmpty();

    memory.readSent(PATH);
    memory.loadedAnew(PATH);
    assertThat(memory.readStale(PATH)).isTrue();
    memory.readAnswered(PATH, read("active", "success"));
    assertThat(memory.known(PATH)).isEmpty();
  }

  @Test
  @DisplayName("A daemon-reload or a lost connection forgets everything, reads under way included")
  void forgetAll() {
    memory.readSent(PATH);
    memory.readAnswered(PATH, read("active", "success"));
    String other = "/org/freedesktop/systemd1/unit/b_2eservice";
    memory.readSent(other);
    memory.forgetAll();
    assertThat(memory.known(PATH)).isEmpty();
    memory.readAnswered(other, read("active", "success"));
    assertThat(memory.known(other)).isEmpty();
    assertThat(memory.size()).isZero();
  }

  @Test
  @DisplayName("A failed read leaves nothing behind")
  void failedRead() {
    memory.readSent(PATH);
    memory.readFailed(PATH);
    assertThat(memory.readStale(PATH)).isFalse();
    assertThat(memory.changesSinceRead(PATH)).isEmpty();
    assertThat(memory.known(PATH)).isEmpty();
  }

  @Test
  @DisplayName("Units no longer configured are forgotten")
  void retain() {
    memory.readSent(PATH);
    memory.readAnswered(PATH, read("active", "success"));
    memory.retain(List.of("/org/freedesktop/systemd1/unit/b_2eservice"));
    assertThat(memory.known(PATH)).isEmpty();
  }
}
