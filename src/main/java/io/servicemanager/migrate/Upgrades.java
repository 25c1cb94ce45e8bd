package io.servicemanager.migrate;

import io.servicemanager.config.FileVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Each file's steps from one version to the next, pure: step N takes version N to N + 1. None yet,
 * every file is at version 1: the optional fields added since (logs_allowed, confirm_restart) leave
 * older files valid, so they need none. A new version of a file is a step here and
 * {@link FileVersion}'s number raised; a test holds the two together.
 */
public final class Upgrades {
  static final Map<FileVersion, List<Function<JsonObject, Migrated>>> STEPS =
      Map.of(FileVersion.CONFIG, List.of(), FileVersion.SERVICES, List.of(), FileVersion.USERS, List.of());

  private Upgrades() {}

  /** {@code tree} brought up to the newest version of {@code file}; unchanged, without notes, when it is already. */
  public static Migrated upgrade(FileVersion file, JsonObject tree) {
    return upgrade(tree, STEPS.get(file));
  }

  static Migrated upgrade(JsonObject tree, List<Function<JsonObject, Migrated>> steps) {
    Object declared = tree.getValue(FileVersion.KEY);
    if (declared != null && !(declared instanceof Integer)) {
      return new Migrated(tree, List.of()); // not a version: validation says so, no step may overwrite it
    }
    JsonObject current = tree;
    List<String> notes = new ArrayList<>();
    for (int version = FileVersion.of(tree); version <= steps.size(); version++) {
      Migrated step = steps.get(version - 1).apply(current.copy());
      notes.addAll(step.notes());
      notes.add(FileVersion.KEY + ": " + version + " → " + (version + 1));
      current = step.tree().put(FileVersion.KEY, version + 1);
    }
    return new Migrated(current, notes);
  }
}
