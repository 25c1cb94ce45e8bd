package io.servicemanager.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The part of {@code org.freedesktop.systemd1.Manager} we use. Signal constructors must match the
 * D-Bus signature exactly, or dbus-java drops the signal with only a WARN log.
 */
@DBusInterfaceName(Manager.INTERFACE)
public interface Manager extends DBusInterface {
  String BUS_NAME = "org.freedesktop.systemd1";
  String OBJECT_PATH = "/org/freedesktop/systemd1";
  String INTERFACE = "org.freedesktop.systemd1.Manager";

  /** Without it systemd emits no unit signals to this client. */
  void Subscribe();

  DBusPath LoadUnit(String name);

  List<UnitStatus> ListUnitsByNames(List<String> names);

  List<UnitStatus> ListUnitsByPatterns(List<String> states, List<String> patterns);

  /** {@code a(ss)}: unit file path and its enablement state. */
  List<UnitFileEntry> ListUnitFilesByPatterns(List<String> states, List<String> patterns);

  DBusPath StartUnit(String name, String mode);

  DBusPath StopUnit(String name, String mode);

  DBusPath RestartUnit(String name, String mode);

  /** {@code (b active)}: true when a daemon-reload starts, false when it has finished. */
  class Reloading extends DBusSignal {
    private final boolean active;

    public Reloading(String path, boolean active) throws DBusException {
      super(path, active);
      this.active = active;
    }

    public boolean isActive() {
      return active;
    }
  }

  /** {@code (s id, o unit)}. */
  class UnitNew extends DBusSignal {
    private final String id;
    private final DBusPath unit;

    public UnitNew(String path, String id, DBusPath unit) throws DBusException {
      super(path, id, unit);
      this.id = id;
      this.unit = unit;
    }

    public String getId() {
      return id;
    }

    public DBusPath getUnit() {
      return unit;
    }
  }

  /** {@code (u id, o job, s unit, s result)}; "done" does not mean the unit is healthy. */
  class JobRemoved extends DBusSignal {
    private final UInt32 id;
    private final DBusPath job;
    private final String unit;
    private final String result;

    public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result)
        throws DBusException {
      super(path, id, job, unit, result);
      this.id = id;
      this.job = job;
      this.unit = unit;
      this.result = result;
    }

    public long getId() {
      return id.longValue();
    }

    public DBusPath getJob() {
      return job;
    }

    public String getUnit() {
      return unit;
    }

    public String getResult() {
      return result;
    }
  }
}
