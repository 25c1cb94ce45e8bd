package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitPaths;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackedUnitTest {
  private static final ServiceDefinition GAME = new ServiceDefinition("game", "game.service", "Game", "Game",
      Permission.RESTART, true);
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  private final TrackedUnit game = new TrackedUnit("game.service", UnitPaths.of("game.service"), List.of(GAME));

  @Test
  @DisplayName("A probe may start at once, never while one runs, and again only a second after the last one ended")
  void probeQuietPeriod() {
    long t = 1_800_000_000_000L;
    assertThat(game.mayProbe(t)).isTrue();

    game.probeStarted();
    assertThat(game.mayProbe(t + 5_000)).as("while running").isFalse();

    game.probeEnded(t + 100);
    assertThat(game.mayProbe(t + 100 + TrackedUnit.PROBE_QUIET_MS - 1)).isFalse();
    assertThat(game.mayProbe(t + 100 + TrackedUnit.PROBE_QUIET_MS)).isTrue();
  }

  @Test
  @DisplayName("A view whose check time alone changed is no news; any other change is, per service")
  void publishedViews() {
    JsonObject active = new JsonObject().put("name", "game").put("status", "active").put("last_check", "t1");

    assertThat(game.changes("game", active)).isTrue();
    assertThat(game.changes("game", active.copy().put("last_check", "t2"))).isFalse();
    assertThat(game.changes("game-admin", active)).as("another service on the unit").isTrue();
    assertThat(game.changes("game", active.copy().put("status", "failed"))).isTrue();
  }

  @Test
  @DisplayName("A unit signalled before any read, or read as not-found, lacks a state; a loaded one does not")
  void lacksState() {
    game.signalled(Map.of("ActiveState", "active"), 1, NOW);
    assertThat(game.lacksState()).isTrue();
    assertThat(game.heldMissing()).isTrue();

    game.signalled(Map.of("LoadState", "loaded"), 2, NOW);
    assertThat(game.lacksState()).isFalse();
    assertThat(game.heldMissing()).isFalse();

    game.signalled(Map.of("LoadState", "not-found"), 3, NOW);
    assertThat(game.lacksState()).isTrue();
    assertThat(game.heldMissing()).isTrue();
  }

  @Test
  @DisplayName("Nothing held yet: not missing, and no check time")
  void nothingHeld() {
    assertThat(game.heldMissing()).isFalse();
    assertThat(game.snapshot()).isNull();
    assertThat(game.lastCheck()).isNull();
  }
}
