package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which Gets a unit's state calls for in the bulk read; the equality with full reads is DetailReadIT's. */
class DetailReadTest {
  private static UnitSnapshot state(String unit, String active, String sub) {
    return new UnitSnapshot(unit, "/u", Map.of("LoadState", "loaded", "ActiveState", active, "SubState", sub));
  }

  private static List<String> wanted(UnitSnapshot state) {
    return DetailRead.wanted(state).stream().map(w -> w[1]).toList();
  }

  @Test
  @DisplayName("A service with a main process is asked for its timestamp and its main PID")
  void withProcess() {
    assertThat(wanted(state("a.service", "active", "running"))).containsExactly("StateChangeTimestamp", "MainPID");
    assertThat(wanted(state("a.service", "reloading", "reload"))).containsExactly("StateChangeTimestamp", "MainPID");
    assertThat(wanted(state("a.service", "deactivating", "stop-sigterm")))
        .containsExactly("StateChangeTimestamp", "MainPID");
    assertThat(wanted(state("a.service", "activating", "start"))).containsExactly("StateChangeTimestamp", "MainPID");
  }

  @Test
  @DisplayName("A service whose sub-state has no main process (exited, auto-restart, start-pre, condition) is asked for its timestamp only")
  void withoutProcess() {
    assertThat(wanted(state("a.service", "active", "exited"))).containsExactly("StateChangeTimestamp");
    assertThat(wanted(state("a.service", "activating", "auto-restart"))).containsExactly("StateChangeTimestamp");
    assertThat(wanted(state("a.service", "activating", "start-pre"))).containsExactly("StateChangeTimestamp");
    assertThat(wanted(state("a.service", "activating", "condition"))).containsExactly("StateChangeTimestamp");
  }

  @Test
  @DisplayName("A failed service is asked for its timestamp and start timeout, an inactive or missing one for nothing")
  void failedInactiveMissing() {
    assertThat(wanted(state("a.service", "failed", "failed"))).containsExactly("StateChangeTimestamp", "TimeoutStartUSec");
    assertThat(wanted(state("a.service", "inactive", "dead"))).isEmpty();
    assertThat(wanted(new UnitSnapshot("a.service", "", Map.of("LoadState", "not-found")))).isEmpty();
  }
}
