package io.servicemanager.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.FileVersion;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UpgradesTest {
  @Test
  @DisplayName("Each file has exactly one upgrade step per version below its newest: the newest version and the chain agree")
  void chainMatchesNewest() {
    for (FileVersion file : FileVersion.values()) {
      assertThat(Upgrades.STEPS.get(file)).as(file.file()).hasSize(file.newest() - 1);
    }
  }

  @Test
  @DisplayName("A file at its newest version, with or without version:, is left as it is, with nothing to note")
  void newestUnchanged() {
    for (FileVersion file : FileVersion.values()) {
      JsonObject tree = new JsonObject().put("services", new JsonObject());
      assertThat(Upgrades.upgrade(file, tree)).isEqualTo(new Migrated(tree, List.of()));
      JsonObject versioned = tree.copy().put("version", file.newest());
      assertThat(Upgrades.upgrade(file, versioned)).isEqualTo(new Migrated(versioned, List.of()));
    }
  }

  @Test
  @DisplayName("Steps run in order from the file's version, each one's notes kept and the version raised after each")
  void runsTheChain() {
    List<Function<JsonObject, Migrated>> steps = List.of(
        tree -> new Migrated(tree.put("renamed", tree.remove("old")), List.of("old: renamed to renamed")),
        tree -> new Migrated(tree.put("added", true), List.of("added: set to true")));
    assertThat(Upgrades.upgrade(new JsonObject().put("old", 1), steps)).isEqualTo(new Migrated(
        new JsonObject().put("renamed", 1).put("version", 2).put("added", true).put("version", 3),
        List.of("old: renamed to renamed", "version: 1 → 2", "added: set to true", "version: 2 → 3")));
    assertThat(Upgrades.upgrade(new JsonObject().put("version", 2).put("x", 0), steps).notes())
        .as("a version 2 file runs only the second step").containsExactly("added: set to true", "version: 2 → 3");
    JsonObject notAVersion = new JsonObject().put("version", "one").put("old", 1);
    assertThat(Upgrades.upgrade(notAVersion, steps)).as("left for validation to report")
        .isEqualTo(new Migrated(notAVersion, List.of()));
  }
}
