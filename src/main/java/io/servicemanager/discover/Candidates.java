package io.servicemanager.discover;

import io.servicemanager.config.UnitNames;
import io.servicemanager.systemd.UnitInfo;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Which units that exist may be offered for the configuration: {@code .service} units (the only
 * kind services.yaml can name) not configured yet, matching the patterns if any, and — unless asked
 * for — not one of systemd's own units or the base system's (a login prompt or the D-Bus daemon is
 * never what an administrator means to hand out).
 */
public final class Candidates {
  /** Name prefixes of the services systemd and the base system ship: systemd-*, dbus, getty@, user@, … */
  static final List<String> SYSTEM_PREFIXES = List.of("systemd-", "dbus", "getty@", "serial-getty@",
      "container-getty@", "console-getty", "autovt@", "user@", "user-runtime-dir@", "capsule@", "modprobe@",
      "emergency", "rescue", "initrd-", "kmod-static-nodes", "ldconfig", "debug-shell", "quotaon");

  private final List<PathMatcher> patterns;
  private final boolean includeSystem;

  private Candidates(List<PathMatcher> patterns, boolean includeSystem) {
    this.patterns = patterns;
    this.includeSystem = includeSystem;
  }

  /**
   * @param globs shell-style patterns on the unit's name, with or without {@code .service}
   *     ({@code pz*}); none: every unit
   * @param errors where a pattern that is not a glob is reported
   */
  public static Candidates of(List<String> globs, boolean includeSystem, List<String> errors) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String glob : globs) {
      if (glob.isBlank() || glob.contains("/")) {
        errors.add("--pattern " + glob + ": give a unit-name pattern such as 'pz*' (no '/', not empty)");
        continue;
      }
      try {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      } catch (PatternSyntaxException e) {
        errors.add("--pattern " + glob + ": not a pattern (" + e.getDescription() + ")");
      }
    }
    return new Candidates(matchers, includeSystem);
  }

  /** The units of {@code found} to offer, in its order, leaving out those {@code configuredUnits} already name. */
  public List<UnitInfo> select(List<UnitInfo> found, Collection<String> configuredUnits) {
    Set<String> configured = configuredUnits.stream().map(UnitNames::toUnit).collect(Collectors.toSet());
    return found.stream()
        .filter(u -> u.unit().endsWith(".service") && UnitNames.isValidServiceKey(u.unit()))
        .filter(u -> !configured.contains(u.unit()))
        .filter(u -> includeSystem || !isSystem(u.unit()))
        .filter(u -> patterns.isEmpty() || patterns.stream().anyMatch(p -> matches(p, u.unit())))
        .toList();
  }

  /** Whether {@code unit} is one of systemd's own or the base system's services. */
  public static boolean isSystem(String unit) {
    return SYSTEM_PREFIXES.stream().anyMatch(unit::startsWith);
  }

  private static boolean matches(PathMatcher pattern, String unit) {
    return pattern.matches(Path.of(unit)) || pattern.matches(Path.of(ServiceEntry.nameOf(unit)));
  }
}
