package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FleetPatternsTest {
  private static final List<String> GAME_SERVICES = List.of("pzserver", "valheim", "backup");

  private static Identity alice(String... services) {
    return new Identity("alice", Role.OPERATOR, Set.of(services));
  }

  @Test
  @DisplayName("node/name entries with * in either part name services on the nodes they match")
  void globs() {
    Identity who = alice("game-*/pzserver", "web-1/*", "*/backup");
    assertThat(FleetPatterns.onNode(who, "dash", "game-2", GAME_SERVICES).services()).containsExactlyInAnyOrder("pzserver", "backup");
    assertThat(FleetPatterns.onNode(who, "dash", "web-1", GAME_SERVICES).services()).containsExactlyInAnyOrder(GAME_SERVICES.toArray(String[]::new));
    assertThat(FleetPatterns.onNode(who, "dash", "db-1", GAME_SERVICES).services()).containsExactly("backup");
  }

  @Test
  @DisplayName("A plain name means that service on the dashboard's own node only")
  void plainNames() {
    Identity who = alice("pzserver");
    assertThat(FleetPatterns.onNode(who, "game-1", "game-1", GAME_SERVICES).services()).containsExactly("pzserver");
    assertThat(FleetPatterns.onNode(who, "game-1", "game-2", GAME_SERVICES).services()).isEmpty();
  }

  @Test
  @DisplayName("No entry can name a service the node does not have, and every service stays every service")
  void nodeDecides() {
    assertThat(FleetPatterns.onNode(alice("game-1/minecraft", "*/*"), "dash", "game-1", List.of("pzserver")).services())
        .containsExactly("pzserver");
    Identity all = new Identity("admin", Role.OPERATOR, null);
    assertThat(FleetPatterns.onNode(all, "dash", "game-1", GAME_SERVICES)).isSameAs(all);
  }

  @Test
  @DisplayName("A dot or other regex character in a pattern matches only itself")
  void literal() {
    assertThat(FleetPatterns.onNode(alice("game.1/pz.erver"), "dash", "gameX1", List.of("pzXerver")).services()).isEmpty();
    assertThat(FleetPatterns.onNode(alice("game.1/pz.erver"), "dash", "game.1", List.of("pz.erver")).services()).containsExactly("pz.erver");
  }
}
