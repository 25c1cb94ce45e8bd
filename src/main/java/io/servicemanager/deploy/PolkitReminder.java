package io.servicemanager.deploy;

import io.servicemanager.config.UnitNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The polkit rule lists the configured units and their levels ({@link PolkitRules}), and nothing
 * regenerates it by itself: whatever rewrites services.yaml for the administrator (a rollback, a
 * restore, {@code discover --write}) says so when the units or their levels changed, with the
 * command to run.
 */
public final class PolkitReminder {
  private PolkitReminder() {}

  /**
   * Whether the rule generated from services.yaml text {@code after} differs from {@code before}'s
   * (either may be null: no file).
   */
  public static boolean needed(String before, String after) {
    return !levels(before).equals(levels(after));
  }

  /** The reminder, with the exact command for the config.yaml at {@code config}, when {@link #needed}. */
  public static Optional<String> between(String before, String after, Path config) {
    return needed(before, after) ? Optional.of(text(config)) : Optional.empty();
  }

  /** Two lines: why, and the command (run as root, for the account the manager runs as). */
  public static String text(Path config) {
    return "The units changed: generate the polkit rule again (as root, for the account the manager runs as):\n"
        + "  service-manager polkit-rules --user service-manager --config " + config.toAbsolutePath().normalize()
        + " > /etc/polkit-1/rules.d/50-service-manager.rules\n";
  }

  /** unit → permission level: what the rule is generated from. Unreadable text counts as no units. */
  static Map<String, Object> levels(String services) {
    Map<String, Object> levels = new TreeMap<>();
    if (services == null) {
      return levels;
    }
    Object yaml;
    try {
      yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(services);
    } catch (RuntimeException e) {
      return levels;
    }
    if (yaml instanceof Map<?, ?> file && file.get("services") instanceof Map<?, ?> entries) {
      entries.forEach((name, fields) -> levels.put(UnitNames.toUnit(String.valueOf(name)),
          fields instanceof Map<?, ?> f ? f.get("permissions_required") : null));
    }
    return levels;
  }
}
