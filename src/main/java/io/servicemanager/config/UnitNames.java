package io.servicemanager.config;

import java.util.List;
import java.util.Optional;

/**
 * systemd's unit-name rules ({@code unit_name_is_valid}) applied to the keys of services.yaml. Pure and
 * strict: a key that fails here never reaches D-Bus, so nothing a config file or a request says can
 * name a path, a shell word or another kind of unit.
 *
 * <p>A key is a {@code .service} unit name with the suffix optional: {@code pzserver},
 * {@code pzserver.service} and the template instance {@code worker@1} are valid; a bare template
 * {@code worker@} is not, since it is not a unit that can run.
 */
public final class UnitNames {
  /** systemd's UNIT_NAME_MAX is 256 including the terminating NUL. */
  public static final int MAX_LENGTH = 255;
  private static final String SERVICE = ".service";
  /** Every other unit type systemd knows; a key ending in one names something we must not manage. */
  private static final List<String> OTHER_SUFFIXES = List.of(".socket", ".target", ".device", ".mount",
      ".automount", ".swap", ".timer", ".path", ".slice", ".scope");

  private UnitNames() {}

  /** The unit a valid key names: {@code pzserver} → {@code pzserver.service}. */
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
      return Optional.of("longer than " + MAX_LENGTH + " characters with .service");
    }
    String prefix = unit.substring(0, unit.length() - SERVICE.length());
    if (prefix.isEmpty()) {
      return Optional.of("a unit name cannot be empty");
    }
    int bad = prefix.codePoints().filter(c -> !allowed(c)).findFirst().orElse(-1);
    if (bad >= 0) {
      return Optional.of("character " + describe(bad) + " is not allowed, only A-Z a-z 0-9 : - _ . \\ @");
    }
    int at = prefix.indexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    if (prefix.indexOf('@', at + 1) >= 0) {
      return Optional.of("at most one '@' is allowed");
    }
    if (at == 0) {
      return Optional.of("a template needs a name before '@'");
    }
    if (at == prefix.length() - 1) {
      return Optional.of("a template without an instance is not a unit that can run; write name@instance");
    }
    return Optional.empty();
  }

  /** systemd's VALID_CHARS plus '@'; '\' stays allowed because systemd-escape writes {@code \x2d}. */
  private static boolean allowed(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@';
  }

  private static String describe(int c) {
    if (c == ' ') {
      return "' ' (space)";
    }
    if (Character.isISOControl(c) || !Character.isDefined(c)) {
      return String.format("U+%04X", c);
    }
    // Non-ASCII letters can look like ASCII ones; the code point shows which one it really is.
    return c < 0x80 ? "'" + (char) c + "'" : String.format("'%s' (U+%04X)", Character.toString(c), c);
  }
}
