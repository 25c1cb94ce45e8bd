package io.servicemanager.config;

import java.util.Optional;
import java.util.Set;

/**
 * systemd's unit-name rules (unit_name_is_valid), for the keys of services.yaml. Pure and strict:
 * a name that fails here never reaches D-Bus.
 */
public final class UnitNames {
  /** systemd's UNIT_NAME_MAX is 256 including the terminating NUL. */
  public static final int MAX_LENGTH = 255;
  private static final String SERVICE = ".service";
  private static final Set<String> OTHER_SUFFIXES = Set.of(".socket", ".timer", ".target", ".mount",
      ".automount", ".path", ".slice", ".scope", ".device", ".swap");

  private UnitNames() {}

  /** The unit a services.yaml key names: {@code pzserver} → {@code pzserver.service}. */
  public static String toUnit(String key) {
    return key.endsWith(SERVICE) ? key : key + SERVICE;
  }

  public static boolean isValidServiceKey(String key) {
    return problem(key).isEmpty();
  }

  /** Why {@code key} is not a concrete service unit name, or empty when it is one. */
  public static Optional<String> problem(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("a unit name cannot be empty");
    }
    for (String suffix : OTHER_SUFFIXES) {
      if (key.endsWith(suffix)) {
        return Optional.of("only .service units can be managed (got a " + suffix + " unit)");
      }
    }
    String unit = toUnit(key);
    if (unit.length() > MAX_LENGTH) {
      return Optional.of("longer than " + MAX_LENGTH + " characters");
    }
    String prefix = unit.substring(0, unit.length() - SERVICE.length());
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@';
      if (!allowed) {
        return Optional.of("character " + describe(c) + " is not allowed (use A-Z a-z 0-9 : - _ . \\ @)");
      }
    }
    int at = prefix.indexOf('@');
    if (at >= 0) {
      if (prefix.indexOf('@', at + 1) >= 0) {
        return Optional.of("at most one '@' is allowed");
      }
      if (at == 0) {
        return Optional.of("a template needs a name before '@'");
      }
      if (at == prefix.length() - 1) {
        return Optional.of("a template without an instance is not a unit that can run (write name@instance)");
      }
    }
    if (prefix.isEmpty()) {
      return Optional.of("a unit name cannot be empty");
    }
    return Optional.empty();
  }

  private static String describe(char c) {
    if (c == ' ') {
      return "' ' (space)";
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format("U+%04X (control)", (int) c);
    }
    return "'" + c + "'";
  }
}
