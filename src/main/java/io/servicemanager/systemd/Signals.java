package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties.PropertiesChanged;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.types.Variant;

/**
 * systemd's signals on one connection, handed in order to the context that connected. They arrive
 * on dbus-java's single signal thread: nothing here may block it.
 */
final class Signals {
  private Signals() {}

  /** Handlers first, then {@code Subscribe()}: nothing sent after Subscribe can be missed. */
  static void subscribe(DBusConnection dbus, Manager manager, Context context, SystemdEvents events)
      throws DBusException {
    // One match rule per interface for all units (DBUS_NOTES: no sender, no type "signal").
    for (String iface : List.of(Interfaces.UNIT, Interfaces.SERVICE)) {
      dbus.addSigHandler(DBusMatchRuleBuilder.create()
              .withType(PropertiesChanged.class)
              .withPathNamespace(Interfaces.UNIT_PATH_NAMESPACE)
              .withArg0123(0, iface)
              .build(),
          (PropertiesChanged s) -> {
            long received = System.nanoTime();
            Map<String, Object> changed = watched(s.getPropertiesChanged());
            if (!changed.isEmpty()) {
              String path = s.getPath();
              context.runOnContext(v -> events.propertiesChanged(path, changed, received));
            }
          });
    }
    dbus.addSigHandler(Manager.Reloading.class, s -> {
      if (!s.isActive()) {
        context.runOnContext(v -> events.reloaded());
      }
    });
    dbus.addSigHandler(Manager.UnitNew.class, s -> {
      String id = s.getId();
      String path = s.getUnit().getPath();
      context.runOnContext(v -> events.unitNew(id, path));
    });
    dbus.addSigHandler(Manager.JobRemoved.class, s -> {
      long id = s.getId();
      String job = s.getJob().getPath();
      String unit = s.getUnit();
      String result = s.getResult();
      context.runOnContext(v -> events.jobRemoved(id, job, unit, result));
    });
    manager.Subscribe();
  }

  /** The {@link UnitSnapshot#WATCHED} properties of a PropertiesChanged, unwrapped. */
  static Map<String, Object> watched(Map<String, Variant<?>> changed) {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Variant<?>> e : changed.entrySet()) {
      if (UnitSnapshot.WATCHED.contains(e.getKey())) {
        Object value = UnitProperties.unwrap(e.getValue());
        if (value != null) {
          out.put(e.getKey(), value);
        }
      }
    }
    return out;
  }
}
