package io.servicemanager.discover;

import io.servicemanager.config.Permission;
import io.servicemanager.systemd.UnitInfo;
import io.vertx.core.json.Json;

/**
 * One services.yaml entry for a unit that exists: its name without {@code .service}, display name
 * and description from the unit's Description (the name when it has none), the given level and
 * its state shown. The one place such an entry is written, for {@code discover} and the dashboard.
 */
public record ServiceEntry(String name, String description, Permission level) {
  public static ServiceEntry of(UnitInfo unit, Permission level) {
    String name = nameOf(unit.unit());
    return new ServiceEntry(name, unit.description() == null || unit.description().isBlank() ? name : unit.description(), level);
  }

  static String nameOf(String unit) {
    return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
  }

  /**
   * The entry as YAML lines, each ending in a newline.
   *
   * @param indent the name's indentation
   * @param fieldIndent the fields' indentation (deeper than {@code indent})
   */
  public String yaml(String indent, String fieldIndent) {
    // JSON strings are valid YAML double-quoted scalars: quotes and control characters stay safe.
    return indent + Json.encode(name) + ":\n"
        + fieldIndent + "display_name: " + Json.encode(description) + "\n"
        + fieldIndent + "description: " + Json.encode(description) + "\n"
        + fieldIndent + "permissions_required: " + Json.encode(level.value()) + "\n"
        + fieldIndent + "status_check_allowed: true\n";
  }

  /** The entry under {@code services:}, ready to paste into services.yaml. */
  public String snippet() {
    return yaml("  ", "    ");
  }
}
