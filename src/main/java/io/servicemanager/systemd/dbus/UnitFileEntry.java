package io.servicemanager.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One row of {@code ListUnitFilesByPatterns}: {@code (ss)} path and state. */
public final class UnitFileEntry extends Struct {
  @Position(0) public final String path;
  @Position(1) public final String state;

  public UnitFileEntry(String path, String state) {
    this.path = path;
    this.state = state;
  }
}
