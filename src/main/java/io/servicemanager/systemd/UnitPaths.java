package io.servicemanager.systemd;

/**
 * A unit's D-Bus object path, computed as systemd does (sd_bus_path_encode): it is fixed by the
 * name, so signals can be matched to units before any read has returned.
 */
public final class UnitPaths {
  private static final String PREFIX = "/org/freedesktop/systemd1/unit/";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private UnitPaths() {}

  public static String of(String unit) {
    if (unit.isEmpty()) {
      return PREFIX + "_";
    }
    StringBuilder path = new StringBuilder(PREFIX);
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && i > 0);
      if (plain) {
        path.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          path.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
      }
    }
    return path.toString();
  }
}
