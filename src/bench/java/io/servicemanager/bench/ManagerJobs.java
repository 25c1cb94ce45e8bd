package io.servicemanager.bench;

import io.servicemanager.systemd.dbus.Manager;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The Manager's JobNew signal, which only the action benchmark listens to. */
@DBusInterfaceName(Manager.INTERFACE)
public interface ManagerJobs extends DBusInterface {
  /** {@code (u id, o job, s unit)}: a job was queued, whoever asked for it. */
  class JobNew extends DBusSignal {
    private final DBusPath job;
    private final String unit;

    public JobNew(String path, UInt32 id, DBusPath job, String unit) throws DBusException {
      super(path, id, job, unit);
      this.job = job;
      this.unit = unit;
    }

    public DBusPath getJob() {
      return job;
    }

    public String getUnit() {
      return unit;
    }
  }
}
