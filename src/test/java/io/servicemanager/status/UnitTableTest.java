package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.UnitPaths;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnitTableTest {
  private static final ServiceDefinition GAME = service("game", "game.service", true);
  private static final ServiceDefinition GAME_ADMIN = service("game-admin", "game.service", true);
  private static final ServiceDefinition BACKUP = service("backup", "backup.service", false);
  private static final ServiceDefinition WEB = service("web", "web.service", true);
  private static final ServiceDefinition MAIL = service("mail", "mail.service", true);

  private final UnitTable table = new UnitTable();

  private static ServiceDefinition service(String name, String unit, boolean visible) {
    return new ServiceDefinition(name, unit, name, name, Permission.RESTART, visible);
  }

  private static ServiceCatalogue catalogue(ServiceDefinition... services) {
    return new ServiceCatalogue(List.of(services));
  }

  private static UnitSnapshot read(String unit, Map<String, Object> properties) {
    return new UnitSnapshot(unit, UnitPaths.of(unit), properties);
  }

  @Test
  @DisplayName("Only units of visible services are followed, in catalogue order, one record for all the services on a unit")
  void indexesVisibleUnits() {
    table.index(catalogue(WEB, GAME, BACKUP, GAME_ADMIN));

    assertThat(table.names()).containsExactly("web.service", "game.service");
    assertThat(table.get("game.service").services()).containsExactly(GAME, GAME_ADMIN);
    assertThat(table.get("backup.service")).isNull();
    assertThat(table.unread()).containsExactly("web.service", "game.service");
  }

  @Test
  @DisplayName("A signal finds its unit by object path and is numbered; one on a path not followed changes nothing")
  void signalsByPath() {
    table.index(catalogue(GAME, BACKUP));

    TrackedUnit game = table.signalled(UnitPaths.of("game.service"), Map.of("ActiveState", "active"));
    TrackedUnit hidden = table.signalled(UnitPaths.of("backup.service"), Map.of("ActiveState", "active"));

    assertThat(game).isSameAs(table.get("game.service"));
    assertThat(game.snapshot().activeState()).isEqualTo("active");
    assertThat(game.lastCheck()).isNotNull();
    assertThat(hidden).isNull();
    assertThat(table.signalSeq()).isEqualTo(1);
    assertThat(table.unread()).isEmpty();
  }

  @Test
  @DisplayName("A reloaded catalogue keeps what is held about units still listed, forgets the others, and reads only the new ones")
  void reindexKeepsListedUnits() {
    table.index(catalogue(GAME, WEB));
    TrackedUnit game = table.signalled(UnitPaths.of("game.service"), Map.of("ActiveState", "active"));
    table.signalled(UnitPaths.of("web.service"), Map.of("ActiveState", "failed"));
    JsonObject view = new JsonObject().put("name", "game").put("status", "active");
    assertThat(game.changes("game", view)).isTrue();

    table.index(catalogue(GAME_ADMIN, GAME, MAIL));

    assertThat(table.names()).containsExactly("game.service", "mail.service");
    assertThat(table.get("game.service")).isSameAs(game);
    assertThat(game.services()).containsExactly(GAME_ADMIN, GAME);
    assertThat(game.snapshot().activeState()).isEqualTo("active");
    assertThat(game.changes("game", view)).as("every view is news again after a reload").isTrue();
    assertThat(table.get("web.service")).isNull();
    assertThat(table.signalled(UnitPaths.of("web.service"), Map.of("ActiveState", "active"))).isNull();
    assertThat(table.unread()).containsExactly("mail.service");
  }

  @Test
  @DisplayName("The first signal of a burst asks for one flush; the burst keeps each unit's first receive time, in signal order")
  void burstBookkeeping() {
    assertThat(table.addToBurst("web.service", 10)).isTrue();
    assertThat(table.addToBurst("game.service", 20)).isFalse();
    assertThat(table.addToBurst("web.service", 30)).isFalse();

    assertThat(table.takeBurst()).containsExactly(Map.entry("web.service", 10L), Map.entry("game.service", 20L));
    assertThat(table.takeBurst()).isEmpty();
    assertThat(table.addToBurst("game.service", 40)).as("a new burst").isTrue();
    assertThat(table.takeBurst()).containsExactly(Map.entry("game.service", 40L));
  }

  @Test
  @DisplayName("A read asked for before a unit's latest signal keeps the signal's values and takes only what they lack")
  void signalNewerThanRead() {
    table.index(catalogue(GAME));
    long asked = table.signalSeq();
    table.signalled(UnitPaths.of("game.service"), Map.of("ActiveState", "active"));

    table.read(List.of(read("game.service", Map.of("LoadState", "loaded", "ActiveState", "inactive"))), asked, false);

    UnitSnapshot held = table.get("game.service").snapshot();
    assertThat(held.activeState()).isEqualTo("active");
    assertThat(held.loadState()).isEqualTo("loaded");
  }

  @Test
  @DisplayName("A read asked for after the latest signal replaces what is held")
  void readNewerThanSignal() {
    table.index(catalogue(GAME));
    table.signalled(UnitPaths.of("game.service"), Map.of("ActiveState", "active", "MainPID", 42L));
    long asked = table.signalSeq();

    table.read(List.of(read("game.service", Map.of("LoadState", "loaded", "ActiveState", "inactive"))), asked, false);

    assertThat(table.get("game.service").snapshot().properties())
        .isEqualTo(Map.of("LoadState", "loaded", "ActiveState", "inactive"));
  }

  @Test
  @DisplayName("A states-only read keeps the details held while the state is unchanged, and drops them when it changed")
  void statesOnlyRead() {
    table.index(catalogue(GAME));
    table.read(List.of(read("game.service", Map.of("LoadState", "loaded", "ActiveState", "active", "MainPID", 42L))), 0, false);

    table.read(List.of(read("game.service", Map.of("LoadState", "loaded", "ActiveState", "active"))), 0, true);
    assertThat(table.get("game.service").snapshot().mainPid()).isEqualTo(42L);

    table.read(List.of(read("game.service", Map.of("LoadState", "loaded", "ActiveState", "failed"))), 0, true);
    assertThat(table.get("game.service").snapshot().properties())
        .isEqualTo(Map.of("LoadState", "loaded", "ActiveState", "failed"));
  }

  @Test
  @DisplayName("A read of a unit not followed is passed over")
  void readOfUnfollowedUnit() {
    table.index(catalogue(GAME, BACKUP));

    table.read(List.of(read("backup.service", Map.of("LoadState", "loaded", "ActiveState", "active"))), 0, false);

    assertThat(table.get("backup.service")).isNull();
    assertThat(table.unread()).containsExactly("game.service");
  }
}
