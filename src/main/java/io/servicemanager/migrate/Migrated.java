package io.servicemanager.migrate;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one migration made of a file: the new tree, and a note in plain words for each thing it
 * changed or left out, so that nothing disappears unsaid.
 */
public record Migrated(JsonObject tree, List<String> notes) {
  public Migrated {
    notes = List.copyOf(notes);
  }
}
