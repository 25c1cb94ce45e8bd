package io.servicemanager.systemd.dbus;

/** D-Bus names of systemd's per-unit interfaces and the properties we read from them. */
public final class Interfaces {
  public static final String UNIT = "org.freedesktop.systemd1.Unit";
  public static final String SERVICE = "org.freedesktop.systemd1.Service";
  public static final String SLICE = "org.freedesktop.systemd1.Slice";
  public static final String UNIT_PATH_NAMESPACE = "/org/freedesktop/systemd1/unit";

  private Interfaces() {}
}
